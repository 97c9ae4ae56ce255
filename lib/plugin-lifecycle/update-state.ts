import "server-only";
import { listPendingUpdates } from "../db/plugin-history";
import { log } from "../log";
import { listCatalogPlugins } from "../plugin-catalog/browse";
import { compareVersions } from "../plugin-catalog/versions";

/** What the plugin list and detail pages show about updates of one plugin. */
export interface UpdateState {
  /** Newest compatible catalog version, when newer than the installed one. */
  updateAvailable?: string;
  /** Version of the staged update waiting for permission approval. */
  pendingUpdate?: string;
}

/**
 * Update states of every installed plugin, by id, from the cached catalogs (no network) and
 * the staged updates. A catalog problem never breaks the pages: it shows no updates.
 */
export async function updateStates(): Promise<Map<string, UpdateState>> {
  const states = new Map<string, UpdateState>();
  const state = (id: string) => states.get(id) ?? (states.set(id, {}), states.get(id)!);
  try {
    for (const p of await listCatalogPlugins()) {
      if (!p.updateAvailable) continue;
      const s = state(p.id);
      if (!s.updateAvailable || compareVersions(p.updateAvailable, s.updateAvailable) > 0) s.updateAvailable = p.updateAvailable;
    }
  } catch (err) {
    log.warn({ err: (err as Error).message }, "Could not read the plugin catalogs for update badges");
  }
  for (const pending of await listPendingUpdates()) state(pending.pluginId).pendingUpdate = pending.version;
  return states;
}
