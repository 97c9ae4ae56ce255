import "server-only";
import { db } from "./client";
import type { MediaFile } from "./generated/prisma/client";

/**
 * The song matcher's candidate queries (lib/matcher): library tracks by id, MusicBrainz
 * recording id, ISRC or title fragment, always limited to the given libraries.
 */

const inLibraries = (libraryIds: number[]) => ({ libraryId: { in: libraryIds } });

/** Tracks with one of these ids. */
export async function tracksWithIds(ids: string[], libraryIds: number[]): Promise<MediaFile[]> {
  return ids.length ? db().mediaFile.findMany({ where: { id: { in: ids }, ...inLibraries(libraryIds) } }) : [];
}

/** Tracks with one of these MusicBrainz recording ids. */
export async function tracksWithRecordingIds(mbids: string[], libraryIds: number[]): Promise<MediaFile[]> {
  return mbids.length ? db().mediaFile.findMany({ where: { mbzRecordingId: { in: mbids }, ...inLibraries(libraryIds) } }) : [];
}

/** Tracks with one of these ISRCs. */
export async function tracksWithIsrcs(isrcs: string[], libraryIds: number[]): Promise<MediaFile[]> {
  return isrcs.length ? db().mediaFile.findMany({ where: { isrc: { in: isrcs }, ...inLibraries(libraryIds) } }) : [];
}

/**
 * Fuzzy-match candidates: tracks whose title contains one of the fragments (SQLite's
 * LIKE, case-insensitive for ASCII). Asked 200 fragments at a time to stay under
 * SQLite's expression depth.
 */
export async function tracksTitledLike(fragments: string[], libraryIds: number[]): Promise<MediaFile[]> {
  const out: MediaFile[] = [];
  for (let i = 0; i < fragments.length; i += 200) {
    const chunk = fragments.slice(i, i + 200);
    out.push(...(await db().mediaFile.findMany({ where: { ...inLibraries(libraryIds), OR: chunk.map((t) => ({ title: { contains: t } })) } })));
  }
  return out;
}
