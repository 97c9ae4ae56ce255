import "server-only";
import { parseDuration, parseSize, type Config } from "../config";
import { remember } from "../server/remember";
import { PluginManager } from "./manager";

export { PluginManager } from "./manager";
export type { InvalidPackage, SettingsPatch, SyncReport } from "./manager";
export { setSubsonicRouter, type SubsonicRouter } from "./host/subsonicapi";

const holder = remember("pluginManager", () => ({ manager: null as PluginManager | null }));

/**
 * Creates and starts the process's plugin manager (called once from boot). `beforeStart`
 * subscribes to it before the enabled plugins load.
 */
export async function startPluginManager(config: Config, beforeStart?: (manager: PluginManager) => void): Promise<PluginManager> {
  if (holder.manager) return holder.manager;
  const manager = new PluginManager({
    enabled: config.Plugins.Enabled,
    folder: config.resolved.pluginsFolder,
    dataFolder: config.resolved.dataFolder,
    autoReload: config.Plugins.AutoReload,
    logLevel: config.Plugins.LogLevel || config.LogLevel,
    timeoutMs: parseDuration(config.Plugins.CallTimeout),
    memoryLimitBytes: parseSize(config.Plugins.MemoryLimit),
    workers: config.Plugins.Workers,
    cacheSizeBytes: cacheSize(config.Plugins.CacheSize),
  });
  holder.manager = manager;
  beforeStart?.(manager);
  await manager.start();
  return manager;
}

/** go-humanize SI sizes (`200MB` = 2×10^8 bytes); "0" or an unparsable value disables the cache (§5.10). */
function cacheSize(text: string): number {
  try {
    return parseSize(text);
  } catch {
    return 0;
  }
}

/** The running plugin manager; null when the server has not booted it. */
export function pluginManager(): PluginManager | null {
  return holder.manager;
}

export async function stopPluginManager(): Promise<void> {
  await holder.manager?.stop();
  holder.manager = null;
}
