import "server-only";
import { parseDuration, parseSize, type Config } from "../config";
import { remember } from "../server/remember";
import { PluginManager } from "./manager";

export { PluginManager } from "./manager";
export type { InvalidPackage, SettingsPatch, SyncReport } from "./manager";

const holder = remember("pluginManager", () => ({ manager: null as PluginManager | null }));

/** Creates and starts the process's plugin manager (called once from boot). */
export async function startPluginManager(config: Config): Promise<PluginManager> {
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
  });
  holder.manager = manager;
  await manager.start();
  return manager;
}

/** The running plugin manager; null when the server has not booted it. */
export function pluginManager(): PluginManager | null {
  return holder.manager;
}

export async function stopPluginManager(): Promise<void> {
  await holder.manager?.stop();
  holder.manager = null;
}
