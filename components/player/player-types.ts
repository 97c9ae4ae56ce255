/**
 * What the browse pages hand the player, and what the player offers them. Browse pages (server components) build
 * `PlayerTrack`s from catalog rows; client buttons call `usePlayer()`.
 */
export interface PlayerTrack {
  /** Media file id, as the Subsonic API uses it (stream, scrobble, lyrics, similar songs). */
  id: string;
  title: string;
  artist: string;
  artistId?: string;
  album: string;
  albumId?: string;
  /** Seconds. */
  duration: number;
  /** Subsonic coverArt id (getCoverArt?id=…), when the track has one. */
  coverArt?: string;
  track?: number;
  year?: number;
}

/** Seeds an Instant Mix: `getSimilarSongs2` for an artist, `getSimilarSongs` for a song or album (Navidrome's split). */
export type InstantMixSeed = { kind: "song" | "album" | "artist"; id: string };

export interface PlayerApi {
  /** Replace the queue with `tracks` and start playing at `startIndex` (default 0). */
  playTracks(tracks: PlayerTrack[], startIndex?: number, options?: { shuffle?: boolean }): void;
  /** Insert right after the current track. */
  addNext(tracks: PlayerTrack[]): void;
  /** Append to the end of the queue. */
  addToEnd(tracks: PlayerTrack[]): void;
  /** Ask the server (and so the plugins) for similar songs and play them. */
  instantMix(seed: InstantMixSeed): Promise<void>;
  /** The track playing now, if any (for "now playing" highlights). */
  current: PlayerTrack | null;
}
