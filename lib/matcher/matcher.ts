import "server-only";
import { findTrackAnnotations } from "../annotations/annotations";
import { tracksTitledLike, tracksWithIds, tracksWithIsrcs, tracksWithRecordingIds } from "../db/matcher";
import type { MediaFile } from "../db/rows";

/**
 * Song matching (Navidrome's `core/matcher`): turns song references that come from outside
 * (metadata agents, the sonic-similarity provider, plugins calling the Matcher host
 * service) into library tracks. It depends on no caller: agents, sonic similarity and the
 * plugin host all import it.
 */

/** An artist as agents and plugins name it: `{id?, name, mbid?}`. */
export interface ArtistRef {
  id?: string;
  name: string;
  mbid?: string;
}

/** A song as agents and plugins name it (Navidrome's `SongRef`); any field may be missing. */
export interface SongRef {
  id?: string;
  name: string;
  mbid?: string;
  isrc?: string;
  artist?: string;
  artistMbid?: string;
  album?: string;
  albumMbid?: string;
  /** Seconds. */
  duration?: number;
  /** Later addition: wins over `duration` when non-zero. */
  durationMs?: number;
  /** Later addition: wins over `artist`/`artistMbid`. */
  artists?: ArtistRef[];
}

/** Title/artist comparison key: case, accents, punctuation and "feat." parts ignored. */
export function matchKey(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\s*[([]\s*(feat|ft|with)\.?\s[^)\]]*[)\]]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

function artistsOf(ref: SongRef): string[] {
  if (ref.artists?.length) return ref.artists.map((a) => a.name);
  return ref.artist ? [ref.artist] : [];
}

function durationMs(ref: SongRef): number {
  return ref.durationMs ? ref.durationMs : ref.duration ? Math.trunc(ref.duration * 1000) : 0;
}

/** Options of `matchSongsIndexed`. */
export interface MatchOptions {
  /** This user's favourites, then ratings, break ties between equally good fuzzy candidates. */
  userId?: string;
}

/**
 * Resolves song references to library tracks (contract §3.1): by id, then MusicBrainz
 * recording id, then ISRC, then a fuzzy match on title and artist (album and duration
 * break ties, then the user's favourites and ratings). Answers one entry per reference,
 * in order, `null` when nothing in the given libraries matches.
 */
export async function matchSongsIndexed(refs: SongRef[], libraryIds: number[], opts: MatchOptions = {}): Promise<(MediaFile | null)[]> {
  if (refs.length === 0 || libraryIds.length === 0) return refs.map(() => null);
  const ids = refs.map((r) => r.id).filter((x): x is string => !!x);
  const mbids = refs.map((r) => r.mbid).filter((x): x is string => !!x);
  const isrcs = refs.map((r) => r.isrc).filter((x): x is string => !!x);
  const titles = [...new Set(refs.map((r) => r.name).filter(Boolean))];
  const [byId, byMbid, byIsrc] = await Promise.all([tracksWithIds(ids, libraryIds), tracksWithRecordingIds(mbids, libraryIds), tracksWithIsrcs(isrcs, libraryIds)]);
  // Fuzzy candidates: the title before any "(…)" or "[…]" part narrows the search; matchKey decides.
  const fuzzy = await tracksTitledLike(titles.map((t) => t.split(/[([]/)[0].trim()), libraryIds);
  const idMap = new Map(byId.map((m) => [m.id, m]));
  const mbidMap = new Map(byMbid.map((m) => [m.mbzRecordingId, m]));
  const isrcMap = new Map(byIsrc.map((m) => [m.isrc, m]));
  const byTitle = new Map<string, MediaFile[]>();
  for (const m of fuzzy) {
    const k = matchKey(m.title);
    if (!byTitle.has(k)) byTitle.set(k, []);
    byTitle.get(k)!.push(m);
  }
  const preference = await userPreference(opts.userId, fuzzy);

  return refs.map((ref) => {
    const exact = (ref.id && idMap.get(ref.id)) || (ref.mbid && mbidMap.get(ref.mbid)) || (ref.isrc && isrcMap.get(ref.isrc));
    if (exact) return exact;
    const candidates = (byTitle.get(matchKey(ref.name)) ?? []).filter((m) => {
      const names = artistsOf(ref).map(matchKey);
      if (names.length === 0) return true;
      const have = [matchKey(m.artist), matchKey(m.albumArtist), ...(JSON.parse(m.participants) as { name: string }[]).map((p) => matchKey(p.name))];
      return names.some((n) => have.includes(n));
    });
    const score = (m: MediaFile) =>
      (ref.album && matchKey(ref.album) === matchKey(m.album) ? 2 : 0) + (durationMs(ref) && Math.abs(durationMs(ref) - m.duration * 1000) < 3000 ? 1 : 0);
    return candidates.sort((a, b) => score(b) - score(a) || preference(b) - preference(a))[0] ?? null;
  });
}

/** Starred tracks first, then higher rated ones (0 for everyone when there is no user). */
async function userPreference(userId: string | undefined, tracks: MediaFile[]): Promise<(m: MediaFile) => number> {
  if (!userId || tracks.length === 0) return () => 0;
  const annotations = await findTrackAnnotations(userId, tracks.map((t) => t.id));
  const weight = new Map([...annotations].map(([id, a]) => [id, (a.starred ? 10 : 0) + a.rating]));
  return (m) => weight.get(m.id) ?? 0;
}

/**
 * `matchSongsIndexed` for agent and provider results: keeps their order, drops unmatched
 * and duplicate entries, and returns at most `count` tracks.
 */
export async function matchSongs(refs: SongRef[], libraryIds: number[], count: number): Promise<MediaFile[]> {
  const out: MediaFile[] = [];
  const used = new Set<string>();
  for (const hit of await matchSongsIndexed(refs, libraryIds)) {
    if (out.length >= count) break;
    if (hit && !used.has(hit.id)) {
      used.add(hit.id);
      out.push(hit);
    }
  }
  return out;
}
