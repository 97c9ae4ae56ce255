import "server-only";
import type { MediaFile } from "../db/rows";
import { matchSongs, type SongRef } from "../matcher/matcher";
import { remember } from "../server/remember";

/**
 * Sonic similarity (OpenSubsonic `sonicSimilarity`, contract §3.4): tracks that sound
 * alike, and a path of tracks from one song to another, from one external provider.
 * Without a provider the feature is unavailable (the endpoints answer 404 and the
 * extension is not advertised).
 */

/** One provider answer: a song reference and how similar it is (0 to 1). */
export interface SonicMatch {
  song: SongRef;
  similarity: number;
}

/**
 * A sonic-similarity service (Navidrome's `SonicSimilarity` provider). Owned here and
 * implemented by the plugin adapter (lib/plugins/capabilities/sonic-similarity.ts).
 * Failures are thrown.
 */
export interface SonicSimilarityProvider {
  /** The provider's name (a plugin id). */
  readonly id: string;
  similarTracks(song: SongRef, count: number): Promise<SonicMatch[]>;
  findPath(startSong: SongRef, endSong: SongRef, count: number): Promise<SonicMatch[]>;
}

/** Where the service finds the current provider (read on every request). */
export interface SonicSimilaritySource {
  /** The provider in use now, or undefined when there is none. */
  provider(): SonicSimilarityProvider | undefined;
}

// On globalThis: boot wires the source, route handlers read it.
const holder = remember("sonicSimilaritySource", () => ({ source: null as SonicSimilaritySource | null }));

/** Sets where the provider comes from (boot wires the plugin adapter); null: unavailable. */
export function setSonicSimilaritySource(source: SonicSimilaritySource | null): void {
  holder.source = source;
}

/** The provider in use now, or null when sonic similarity is unavailable. */
export function sonicProvider(): SonicSimilarityProvider | null {
  return holder.source?.provider() ?? null;
}

/** The `SongRef` the host sends for a library track. */
export function songRefOf(mf: MediaFile): SongRef {
  const ref: SongRef = { id: mf.id, name: mf.title };
  if (mf.mbzRecordingId) ref.mbid = mf.mbzRecordingId;
  if (mf.isrc) ref.isrc = mf.isrc;
  if (mf.artist) ref.artist = mf.artist;
  if (mf.mbzArtistId) ref.artistMbid = mf.mbzArtistId;
  if (mf.album) ref.album = mf.album;
  if (mf.mbzAlbumId) ref.albumMbid = mf.mbzAlbumId;
  if (mf.duration) ref.duration = Math.fround(mf.duration);
  if (mf.duration) ref.durationMs = Math.trunc(mf.duration * 1000);
  const artists = (JSON.parse(mf.participants) as { id: string; name: string; mbid?: string; role: string }[]).filter((p) => p.role === "artist");
  if (artists.length) ref.artists = artists.map((a) => ({ id: a.id, name: a.name, ...(a.mbid ? { mbid: a.mbid } : {}) }));
  return ref;
}

/** A provider match resolved to a library track. */
export interface SonicHit {
  track: MediaFile;
  similarity: number;
}

/**
 * Resolves provider matches to tracks in the given libraries, keeping the provider's
 * order and similarity; unmatched entries and repeats of a track are dropped.
 */
export async function resolveSonicMatches(matches: SonicMatch[], libraryIds: number[]): Promise<SonicHit[]> {
  const hits: SonicHit[] = [];
  for (const m of matches) {
    const [track] = await matchSongs([m.song], libraryIds, 1);
    if (track && !hits.some((h) => h.track.id === track.id)) hits.push({ track, similarity: m.similarity });
  }
  return hits;
}
