import "server-only";
import { artistDetail } from "./artists";
import { albumDetail } from "./albums";
import { playlistDetail } from "./playlists";
import type { Viewer } from "./scope";
import type { PlayerTrack } from "./types";

/** What a Play button on a card stands for. */
export type TrackSource = { kind: "album" | "artist" | "playlist"; id: string };

/**
 * The tracks a card's Play button queues (album, all of an artist's albums, or a playlist),
 * or null when the viewer may not see the item.
 */
export async function tracksOf(v: Viewer, src: TrackSource): Promise<PlayerTrack[] | null> {
  const found = src.kind === "album" ? await albumDetail(v, src.id) : src.kind === "artist" ? await artistDetail(v, src.id) : await playlistDetail(v, src.id);
  return found ? found.songs.map((s) => s.track) : null;
}
