import "server-only";
import { artistIsVisible } from "../catalog/visibility";
import { albumExistsIn, trackExistsIn } from "../db/catalog";
import { libraryExists } from "../db/libraries";
import type { Annotation, Artist } from "../db/rows";
import { libraryIdsFor } from "./access";
import type { SubsonicContext } from "./context";
import { SubsonicError } from "./errors";
import { artistID3, type AnnotationLookup } from "./shapes";

/**
 * Catalog helpers shared by the list, search and annotation handlers: which libraries a
 * request may see, count parameters, and resolving an id to the item it names. The
 * library-scoped reads themselves live in lib/catalog.
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
    const exists = Number.isSafeInteger(id) && id > 0 && id <= 2 ** 31 && (await libraryExists(id));
    throw exists ? new SubsonicError(50, `Library ${id} is not accessible`) : new SubsonicError(70, `Library not found: ${requested[i]}`);
  }
  return [...new Set(ids)];
}

/** The annotation lookup the shape mappers take, from rows already loaded. */
export function lookupFrom(rows: Annotation[]): AnnotationLookup {
  const map = new Map(rows.map((r) => [`${r.itemType}:${r.itemId}`, r]));
  return (type, id) => map.get(`${type}:${id}`);
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
  if ((!only || only === "track") && (await trackExistsIn(id, libraryIds))) return { type: "track", id };
  if ((!only || only === "album") && (await albumExistsIn(id, libraryIds))) return { type: "album", id };
  if ((!only || only === "artist") && (await artistIsVisible(id, libraryIds))) return { type: "artist", id };
  const what = { track: "Song", album: "Album", artist: "Artist" }[only ?? "track"];
  throw new SubsonicError(70, only ? `${what} not found: ${id}` : `Item not found: ${id}`);
}
