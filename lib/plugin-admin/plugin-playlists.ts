import "server-only";
import { findPlugin } from "../db/plugins";
import { findPluginPlaylists } from "../db/playlists";
import { AppError } from "../errors";
import { pluginPlaylistSync } from "../playlists/plugin-playlists";

/** One playlist a PlaylistProvider plugin keeps, as its admin page lists it (times ISO 8601). */
export interface PluginPlaylistRow {
  id: string;
  pluginPlaylistId: string;
  name: string;
  owner: string;
  tracks: number;
  lastSyncAt: string | null;
  /** Null when no re-sync is scheduled (static content, unavailable, or the plugin is not loaded). */
  nextSyncAt: string | null;
  validUntil: string | null;
  lastError: string;
}

/** A plugin's playlists and its discovery schedule; empty for plugins that provide none. */
export interface PluginPlaylistsView {
  /** A syncer runs for the plugin (it is loaded and exports the capability). */
  syncing: boolean;
  lastDiscoveryAt: string | null;
  nextDiscoveryAt: string | null;
  lastError: string;
  playlists: PluginPlaylistRow[];
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Stored plugin playlists joined with the running syncer's schedule (which exists only while loaded). */
export async function pluginPlaylistsView(id: string): Promise<PluginPlaylistsView> {
  if (!(await findPlugin(id))) throw new AppError("NOT_FOUND", "Plugin not found");
  const state = pluginPlaylistSync()?.state(id) ?? null;
  const byRow = new Map((state?.playlists ?? []).map((p) => [p.rowId, p]));
  const rows = await findPluginPlaylists(id);
  return {
    syncing: state !== null,
    lastDiscoveryAt: iso(state?.lastDiscoveryAt),
    nextDiscoveryAt: iso(state?.nextDiscoveryAt),
    lastError: state?.lastError ?? "",
    playlists: rows.map((r) => {
      const live = byRow.get(r.id);
      return {
        id: r.id,
        pluginPlaylistId: r.pluginPlaylistId,
        name: r.name,
        owner: r.owner.userName,
        tracks: r._count.tracks,
        lastSyncAt: iso(r.syncedAt),
        nextSyncAt: iso(live?.nextSyncAt),
        validUntil: iso(r.validUntil),
        lastError: live?.lastError ?? "",
      };
    }),
  };
}
