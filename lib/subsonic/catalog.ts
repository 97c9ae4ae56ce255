import "server-only";
import { db } from "../db/client";
import type { Annotation, Artist } from "../db/generated/prisma/client";
import { libraryIdsFor } from "./access";
import type { SubsonicContext } from "./context";
import { SubsonicError } from "./errors";
import { artistID3, type AnnotationLookup } from "./shapes";

/**
 * Catalog reads shared by the list, search and annotation handlers: which
 * libraries a request may see, which artists live in them, and small paging helpers.
 */

/**
 * The libraries a request covers: the user's libraries, narrowed by `musicFolderId`
 * (repeatable). A folder the user may not see answers 50, an unknown one 70.
 */
export async function requestLibraryIds(ctx: SubsonicContext): Promise<number[]> {
  const allowed = await libraryIdsFor(ctx.user);
  const requested = ctx.params.all("musicFolderId");
  if (!requested.length) return allowed;
  const ids = requested.map(Number);
  for (const [i, id] of ids.entries()) {
    if (allowed.includes(id)) continue;
    const exists = Number.isSafeInteger(id) && id > 0 && id <= 2 ** 31 && (await db().library.findUnique({ where: { id }, select: { id: true } }));
    throw exists ? new SubsonicError(50, `Library ${id} is not accessible`) : new SubsonicError(70, `Library not found: ${requested[i]}`);
  }
  return [...new Set(ids)];
}

/**
 * Ids of artists credited (as artist or album artist) on a track in the given libraries,
 * or `null` when the libraries are all there are, so callers can skip the filter.
 */
export async function visibleArtistIds(libraryIds: number[]): Promise<Set<string> | null> {
  const total = await db().library.count();
  if (new Set(libraryIds).size >= total) return null;
  const rows = await db().mediaFile.findMany({ where: { libraryId: { in: libraryIds } }, select: { participants: true }, distinct: ["participants"] });
  const ids = new Set<string>();
  for (const r of rows) for (const p of JSON.parse(r.participants) as { id: string }[]) ids.add(p.id);
  return ids;
}

/** Whether an artist is credited on a track in the given libraries. */
export async function artistIsVisible(id: string, libraryIds: number[]): Promise<boolean> {
  if (!(await db().artist.count({ where: { id } }))) return false;
  return (await db().mediaFile.count({ where: { libraryId: { in: libraryIds }, participants: { contains: `"id":${JSON.stringify(id)}` } } })) > 0;
}

/** A Prisma `where` fragment limiting artists to the visible ones. */
export function artistScope(visible: Set<string> | null) {
  return visible ? { id: { in: [...visible] } } : {};
}

/** The annotation lookup the shape mappers take, from rows already loaded. */
export function lookupFrom(rows: Annotation[]): AnnotationLookup {
  const map = new Map(rows.map((r) => [`${r.itemType}:${r.itemId}`, r]));
  return (type, id) => map.get(`${type}:${id}`);
}

/** Rows in the order of `ids` (rows missing from the result are dropped). */
export function inOrder<T extends { id: string }>(ids: string[], rows: T[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is T => r !== undefined);
}

/** `n` items picked at random (Fisher–Yates on a copy). */
export function pickRandom<T>(items: T[], n: number): T[] {
  const a = [...items];
  const k = Math.min(n, a.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(Math.random() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k);
}

/** A count parameter clamped to `[0, max]`. */
export function countParam(ctx: SubsonicContext, name: string, fallback: number, max: number): number {
  return Math.max(0, Math.min(max, ctx.params.int(name, fallback)));
}

/** An artist in the folder-style API (`Artist`: search2, getStarred). */
export function artistEntry(ar: Artist, ann: AnnotationLookup) {
  const { id, name, coverArt, artistImageUrl, starred, userRating } = artistID3(ar, ann);
  return { id, name, coverArt, artistImageUrl, starred, userRating };
}

export type ItemType = "track" | "album" | "artist";

/**
 * Finds what a Subsonic id names (song, album or artist) within the given libraries;
 * an id the user cannot see answers 70, as if it did not exist.
 */
export async function resolveItem(id: string, libraryIds: number[], only?: ItemType): Promise<{ type: ItemType; id: string }> {
  if ((!only || only === "track") && (await db().mediaFile.count({ where: { id, libraryId: { in: libraryIds } } }))) return { type: "track", id };
  if ((!only || only === "album") && (await db().album.count({ where: { id, libraryId: { in: libraryIds } } }))) return { type: "album", id };
  if ((!only || only === "artist") && (await artistIsVisible(id, libraryIds))) return { type: "artist", id };
  const what = { track: "Song", album: "Album", artist: "Artist" }[only ?? "track"];
  throw new SubsonicError(70, only ? `${what} not found: ${id}` : `Item not found: ${id}`);
}
