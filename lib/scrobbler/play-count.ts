import "server-only";
import { incrementPlays, type ItemRef } from "../db/annotations";
import { participantsOf } from "../db/catalog";
import type { MediaFile } from "../db/rows";
import { insertScrobble } from "../db/scrobble-history";

/**
 * Counts one play of a track for a user: the track, its album and each credited artist
 * get `playCount + 1` and `playDate = max(playDate, playTime)`, in one transaction
 * (Navidrome's `incPlay`). The play is also kept in the scrobble history that plugins read
 * back (ScrobbleRetriever), whatever scrobbler plugins exist.
 */
export async function recordPlay(userId: string, track: MediaFile, playTime: Date): Promise<void> {
  const artistIds = participantsOf(track).filter((p) => p.role === "artist").map((p) => p.id);
  const items: ItemRef[] = [{ type: "track", id: track.id }, { type: "album", id: track.albumId }, ...[...new Set(artistIds)].map((id): ItemRef => ({ type: "artist", id }))];
  await incrementPlays(userId, items, playTime);
  await insertScrobble(userId, track.id, Math.floor(playTime.getTime() / 1000));
}
