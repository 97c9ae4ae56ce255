import "server-only";
import { db } from "./client";
import type { Album, Artist, MediaFile } from "./generated/prisma/client";
import { libraryCondition, pageOf, type Page } from "./lists";

/**
 * search2/search3 over the FTS5 indexes `ArtistFts`, `AlbumFts` and `MediaFileFts`
 * (migration 20261206191500_search_fts_list_indexes; triggers keep them in sync with every
 * write). Matching: each word of the query must be the start of a word of one of the searched
 * columns, compared without case or accents (unicode61, remove_diacritics 2); results are in
 * the same order as before FTS (name, or title), so paging is stable.
 */

/**
 * The FTS5 query for these words: each one a quoted string with a prefix star, so nothing a
 * user types is FTS syntax (`AND`, `NEAR`, `col:`, `^`, `(`…) and every word must match.
 * Answers null when no word has a letter or digit (nothing the tokenizer would index can match).
 */
export function ftsQuery(words: string[]): string | null {
  const kept = words.map((w) => w.normalize("NFC")).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (!kept.length) return null;
  return kept.map((w) => `"${w.replace(/"/g, '""')}"*`).join(" ");
}

/** Above this many matches a search walks the order's index instead of sorting the matches. */
const BROAD = 2_000;

/**
 * One page of the rows of `kind` matching an FTS query (all rows for `null`) and `where`, in
 * `key` order (the rowid breaks ties). Two plans, chosen by how many rows the FTS query
 * matches: a few are read by rowid and sorted; many ("a") walk the key's index and keep the
 * matching rowids, stopping after one page instead of reading and sorting tens of thousands
 * of rows (the `+` keeps SQLite from driving the query by the matches).
 */
async function matchingRows<T>(kind: "Artist" | "Album" | "MediaFile", match: string | null, where: string, args: unknown[], key: string, page: Page): Promise<T[]> {
  const fts = `${kind}Fts`;
  const matches = `IN (SELECT rowid FROM "${fts}" WHERE "${fts}" MATCH ?)`;
  if (match === null) return pageOf<T>(kind, where, args, [[key, "ASC"]], page);
  const [{ n }] = await db().$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT count(*) AS n FROM "${fts}" WHERE "${fts}" MATCH ?`, match);
  if (Number(n) > BROAD) return pageOf<T>(kind, `+rowid ${matches} AND ${where}`, [match, ...args], [[key, "ASC"]], page);
  return db().$queryRawUnsafe<T[]>(`SELECT * FROM "${kind}" WHERE rowid ${matches} AND ${where} ORDER BY ${key}, rowid LIMIT ? OFFSET ?`, match, ...args, page.take, page.skip);
}

/** The FTS query for a search's words: null for no words (list everything), "none" when no word can match. */
function matchFor(words: string[]): string | null | "none" {
  return words.length ? (ftsQuery(words) ?? "none") : null;
}

/** Artists whose name matches every word (all artists for no words), limited to `visible` when given, by `orderName`. */
export async function searchArtists(words: string[], visible: Set<string> | null, page: Page): Promise<Artist[]> {
  const match = matchFor(words);
  if (match === "none") return [];
  const [where, args] = visible ? ["+id IN (SELECT value FROM json_each(?))", [JSON.stringify([...visible])]] : ["1", []];
  return matchingRows<Artist>("Artist", match, where, args, "orderName", page);
}

/** The libraries a search covers, and whether they are all there are (lib/db/lists.ts `coversAllLibraries`). */
export interface SearchLibraries {
  ids: number[];
  all: boolean;
}

/** Albums in these libraries whose name or album artist matches every word, by `orderName`. */
export async function searchAlbums(words: string[], libs: SearchLibraries, page: Page): Promise<Album[]> {
  const match = matchFor(words);
  if (match === "none") return [];
  return matchingRows<Album>("Album", match, libraryCondition("libraryId", libs.ids, libs.all), [], "orderName", page);
}

/** Tracks in these libraries whose title, artist or album matches every word, by title. */
export async function searchTracks(words: string[], libs: SearchLibraries, page: Page): Promise<MediaFile[]> {
  const match = matchFor(words);
  if (match === "none") return [];
  return matchingRows<MediaFile>("MediaFile", match, libraryCondition("libraryId", libs.ids, libs.all), [], "title", page);
}
