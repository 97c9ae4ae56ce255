import "server-only";
import { AppError } from "../errors";
import { getPlaylistOrThrow, listPlaylists, type PlaylistView } from "../playlists/playlists";
import { annotationsFor, type Viewer } from "./scope";
import type { PlaylistSummary, SongView } from "./types";
import { songView } from "./views";

function summary(v: PlaylistView): PlaylistSummary {
  const pl = v.playlist;
  return {
    id: pl.id,
    name: pl.name,
    comment: pl.comment,
    owner: v.ownerName,
    public: pl.public,
    songCount: v.songs.length,
    duration: Math.round(v.duration),
    readonly: v.readonly,
    pluginId: pl.pluginId,
    coverArt: `pl-${pl.id}`,
  };
}

/** The viewer's playlists (their own, plugin-provided ones kept for them) and everyone's public ones, by name. */
export async function playlistSummaries(v: Viewer): Promise<PlaylistSummary[]> {
  return (await listPlaylists({ user: v.user, libraryIds: v.libraryIds })).map(summary);
}

/** A playlist with the songs the viewer may see, or null when it does not exist for them. */
export async function playlistDetail(v: Viewer, id: string): Promise<{ playlist: PlaylistSummary; songs: SongView[] } | null> {
  let view: PlaylistView;
  try {
    view = await getPlaylistOrThrow(id, { user: v.user, libraryIds: v.libraryIds });
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") return null;
    throw err;
  }
  const ann = await annotationsFor(v.user, { track: view.songs.map((s) => s.id) });
  return { playlist: summary(view), songs: view.songs.map((s) => songView(s, ann)) };
}
