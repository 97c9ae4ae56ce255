import "server-only";
import { rmSync } from "node:fs";
import path from "node:path";
import { deletePendingUpdate } from "../db/plugin-history";
import { onCatalogRefreshed } from "../plugin-catalog/repositories";
import type { PluginManager } from "../plugins";
import { remember } from "../server/remember";
import { autoUpdatePlugins } from "./auto-update";
import { packagesRoot } from "./store";

const state = () => remember("pluginLifecycle", () => ({ stop: null as (() => void) | null }));

/**
 * Wires the plugin lifecycle into the running server (once per process, from boot):
 * auto-update after every catalog refresh, and a removed plugin's staged update dropped
 * (kept packages stay, so a deleted plugin can be reinstalled from them).
 */
export function startPluginLifecycle(manager: PluginManager): void {
  const s = state();
  if (s.stop) return;
  s.stop = onCatalogRefreshed(async () => {
    await autoUpdatePlugins(manager);
  });
  manager.onPluginRemoved(async (id) => {
    rmSync(path.join(packagesRoot(manager), id, "pending.ndp"), { force: true });
    await deletePendingUpdate(id);
  });
}

export function stopPluginLifecycle(): void {
  const s = state();
  s.stop?.();
  s.stop = null;
}
