import "server-only";
import { listPlugins } from "../db/plugins";
import { log } from "../log";
import type { UpdateResult } from "../plugin-catalog/types";
import type { PluginManager } from "../plugins";
import { settings } from "../server/settings";
import { availableUpdate, updateFromCatalog } from "./update";

/**
 * `Plugins.AutoUpdate`: after a catalog refresh, every installed plugin with a newer
 * compatible version is updated when the update asks for nothing new (and, under
 * `Plugins.RequireSignature`, is trusted). Updates that need approval are left for an
 * admin. One plugin's failure is logged and never stops the others.
 */
export async function autoUpdatePlugins(manager: PluginManager): Promise<UpdateResult[]> {
  if (!settings().Plugins.AutoUpdate) return [];
  const applied: UpdateResult[] = [];
  for (const record of await listPlugins()) {
    try {
      if (!(await availableUpdate(record))) continue;
      const result = await updateFromCatalog(manager, record.id, { onlyWithoutApproval: true });
      if (result.applied) applied.push(result);
    } catch (err) {
      log.warn({ plugin: record.id, err: (err as Error).message }, "Automatic plugin update failed");
    }
  }
  if (applied.length) log.info({ updated: applied.map((r) => `${r.pluginId}@${r.version}`) }, "Plugins updated automatically");
  return applied;
}
