import "server-only";
import type { SongRef } from "../../matcher/matcher";
import {
  PlaylistUnavailableError,
  type AvailablePlaylists,
  type PlaylistProvider,
  type PluginPlaylistSync,
  type ProvidedPlaylist,
} from "../../playlists/plugin-playlists";
import type { LoadedPlugin } from "../loader";
import type { PluginManager } from "../manager";

/** PlaylistProvider exports (addendum A3.1, open PR #5148). */
export const FUNC_GET_AVAILABLE_PLAYLISTS = "nd_playlist_provider_get_available_playlists";
export const FUNC_GET_PLAYLIST = "nd_playlist_provider_get_playlist";

/** The error text by which a plugin says "this playlist is currently unavailable". */
export const NOT_FOUND_TOKEN = "playlist_provider(not_found)";

/** `nd_playlist_provider_get_available_playlists` output (the input is `{}`). */
export interface GetAvailablePlaylistsResponse {
  playlists?: { id?: string; ownerUsername?: string }[] | null;
  refreshInterval?: number;
  retryInterval?: number;
}

/** `nd_playlist_provider_get_playlist` input. */
export interface GetPlaylistRequest {
  id: string;
}

/** `nd_playlist_provider_get_playlist` output; `tracks` are the branch's SongRef (pre-v0.63 MetadataAgent shape). */
export interface GetPlaylistResponse {
  name?: string;
  description?: string;
  coverArtUrl?: string;
  tracks?: SongRef[] | null;
  validUntil?: number;
}

// Go decodes into typed structs: a missing or null field is its zero value.
const int = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? Math.trunc(v) : 0);
const str = (v: unknown) => (typeof v === "string" ? v : "");

/** A loaded plugin seen as the playlists domain's `PlaylistProvider`. */
export class PluginPlaylistProvider implements PlaylistProvider {
  readonly pluginId: string;
  readonly users: { all: boolean; ids: readonly string[] };

  constructor(
    private readonly manager: PluginManager,
    plugin: Pick<LoadedPlugin, "id" | "record">,
  ) {
    this.pluginId = plugin.id;
    this.users = { all: plugin.record.allUsers, ids: plugin.record.users };
  }

  async availablePlaylists(): Promise<AvailablePlaylists> {
    const out = (await this.manager.call<GetAvailablePlaylistsResponse>(this.pluginId, FUNC_GET_AVAILABLE_PLAYLISTS, {})) ?? {};
    return {
      playlists: (out.playlists ?? []).map((p) => ({ id: str(p?.id), ownerUsername: str(p?.ownerUsername) })),
      refreshInterval: int(out.refreshInterval),
      retryInterval: int(out.retryInterval),
    };
  }

  async playlist(id: string): Promise<ProvidedPlaylist> {
    let out: GetPlaylistResponse;
    try {
      out = (await this.manager.call<GetPlaylistResponse>(this.pluginId, FUNC_GET_PLAYLIST, { id } satisfies GetPlaylistRequest)) ?? {};
    } catch (err) {
      const message = (err as Error).message;
      if (message.includes(NOT_FOUND_TOKEN)) throw new PlaylistUnavailableError(message);
      throw err;
    }
    return {
      name: str(out.name),
      description: out.description ? str(out.description) : undefined,
      coverArtUrl: out.coverArtUrl ? str(out.coverArtUrl) : undefined,
      tracks: (out.tracks ?? []).filter((t): t is SongRef => !!t && typeof t === "object"),
      validUntil: int(out.validUntil),
    };
  }
}

/**
 * Ties each playlist-providing plugin's syncer to its lifetime: started after every load
 * (so a settings save, which reloads, re-discovers), stopped when it unloads.
 */
export function watchPlaylistProviders(manager: PluginManager, sync: () => PluginPlaylistSync | null): void {
  manager.onPluginLifetime({
    loaded(plugin) {
      if (plugin.capabilities.includes("PlaylistProvider")) sync()?.start(new PluginPlaylistProvider(manager, plugin));
    },
    unloading(id) {
      sync()?.stop(id);
    },
  });
}
