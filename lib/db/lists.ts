import "server-only";
import type { Page } from "./catalog";
import { db } from "./client";
import type { Album, Annotation, Artist, MediaFile } from "./generated/prisma/client";

export type { Page };

/**
 * The list reads of the Subsonic API at scale (issue #18): each answers one page (or one
 * bounded list) in a single SQL statement, ordered and paged by SQLite through an index,
 * never by loading a whole table into JavaScript. Raw SQL through the Prisma client: rows
 * come back typed by the columns' declared types, as `findMany` would answer them.
 *
 * Id lists of any length are bound as one JSON array (`json_each(?)`), since SQLite binds at
 * most 32 766 values per statement (and Prisma's SQLite limit is lower). Library ids, always
 * small integers, are inlined. A leading `+` on a column keeps SQLite from driving the query by
 * that column's index, so it walks the ORDER BY's index and stops after one page.
 */

/** Library ids as an SQL list (validated integers, so inlining them is safe). */
export function libraryList(ids: number[]): string {
  const ok = ids.filter((id) => Number.isSafeInteger(id));
  return ok.length ? ok.join(", ") : "NULL";
}

const raw = <T>(sql: string, ...args: unknown[]) => db().$queryRawUnsafe<T[]>(sql, ...args);

/**
 * Whether these libraries are every library there is (admins and most users). Then queries
 * leave the library condition out, and an ordered walk reads the ORDER BY's index alone instead
 * of each row it passes (0.4 ms instead of 400 ms to skip 50 000 tracks).
 */
export async function coversAllLibraries(libraryIds: number[]): Promise<boolean> {
  const [{ n }] = await raw<{ n: number | bigint }>("SELECT count(*) AS n FROM Library");
  return new Set(libraryIds).size >= Number(n);
}

/** The SQL condition "`column` is one of these libraries" (`1` when `all`; the `+` keeps SQLite walking the ORDER BY's index). */
export function libraryCondition(column: string, libraryIds: number[], all: boolean): string {
  return all ? "1" : `+${column} IN (${libraryList(libraryIds)})`;
}

/** An ORDER BY key: columns of the table, each ascending or descending; the rowid breaks ties. */
type OrderKey = [column: string, dir: "ASC" | "DESC"][];

const orderBy = (key: OrderKey, prefix: string) => [...key, ["rowid", key[0]?.[1] ?? "ASC"] as const].map(([c, d]) => `${prefix}${c} ${d}`).join(", ");

/**
 * One page of `table`'s rows passing `where`, in `key` order: the page's rowids first (from
 * the key's index when there is one, without reading the rows it skips), then those rows.
 */
export async function pageOf<T>(table: string, where: string, args: unknown[], key: OrderKey, page: Page): Promise<T[]> {
  return raw<T>(
    `SELECT t.* FROM (SELECT rowid AS r FROM "${table}" WHERE ${where} ORDER BY ${orderBy(key, "")} LIMIT ? OFFSET ?) p
     JOIN "${table}" t ON t.rowid = p.r ORDER BY ${orderBy(key, "t.")}`,
    ...args,
    page.take,
    page.skip,
  );
}

// ---- album lists

/** The album orders a page of an album list can be read in. */
export type AlbumPageQuery =
  | { by: "newest" }
  | { by: "name" }
  | { by: "artist" }
  | { by: "year"; lo: number; hi: number; dir: "asc" | "desc" }
  | { by: "genre"; genre: string };

/** One page of the albums in these libraries in an album-list order (ties: newest row first for "newest", else oldest). */
export async function albumPage(libraryIds: number[], q: AlbumPageQuery, page: Page): Promise<Album[]> {
  const all = await coversAllLibraries(libraryIds);
  const libs = libraryCondition("libraryId", libraryIds, all);
  switch (q.by) {
    case "newest":
      // One scan stamps all its albums with the same createdAt: the rowid (insertion order) breaks those ties.
      return pageOf<Album>("Album", libs, [], [["createdAt", "DESC"]], page);
    case "name":
      return pageOf<Album>("Album", libs, [], [["orderName", "ASC"]], page);
    case "artist":
      // By the album artist's index name (Artist.orderName is orderName(name)), then the album's;
      // the sort carries rowids only, and only the page's rows are read whole.
      return raw<Album>(
        `SELECT t.* FROM (SELECT al.rowid AS r, ifnull(ar.orderName, '') AS k1, al.orderName AS k2 FROM Album al LEFT JOIN Artist ar ON ar.id = al.albumArtistId
           WHERE ${libraryCondition("al.libraryId", libraryIds, all)} ORDER BY k1, k2, r LIMIT ? OFFSET ?) p
         JOIN Album t ON t.rowid = p.r ORDER BY p.k1, p.k2, p.r`,
        page.take,
        page.skip,
      );
    case "year":
      return pageOf<Album>("Album", `${libs} AND maxYear >= ? AND maxYear != 0 AND minYear <= ?`, [q.lo, q.hi], [["maxYear", q.dir === "desc" ? "DESC" : "ASC"], ["orderName", "ASC"]], page);
    case "genre":
      // instr: an exact substring test of the JSON-quoted name (no LIKE wildcards to escape).
      return pageOf<Album>("Album", `${libs} AND instr(genres, ?) > 0`, [JSON.stringify(q.genre)], [["orderName", "ASC"]], page);
  }
}

/**
 * One page of the albums in these libraries in a pseudo-random order fixed by `seed`: the
 * same seed pages through one shuffle (so `offset` works), another seed gives another. The
 * mix is two rounds of x → x² + c modulo the prime 2³¹−1 over the rowid (integers stay below
 * 2⁶³, so SQLite never turns them into floats).
 */
export async function randomAlbumPage(libraryIds: number[], seed: number, page: Page): Promise<Album[]> {
  const s = Math.abs(Math.trunc(seed)) % 2147483647;
  const x1 = `((rowid * 48271 + ${s}) % 2147483647)`;
  const x2 = `((${x1} * ${x1} + 12345) % 2147483647)`;
  const key = `((${x2} * ${x2} + ${s}) % 2147483647)`;
  return raw<Album>(
    `SELECT t.* FROM (SELECT rowid AS r, ${key} AS k FROM Album WHERE ${libraryCondition("libraryId", libraryIds, await coversAllLibraries(libraryIds))} ORDER BY k, rowid LIMIT ? OFFSET ?) p
     JOIN Album t ON t.rowid = p.r ORDER BY p.k, p.r`,
    page.take,
    page.skip,
  );
}

/** Orders of a user's annotated albums, as the album lists use them. */
export type AlbumAnnotationOrder = "starred" | "highest" | "frequent" | "recent";

const ANNOTATION_ORDERS: Record<AlbumAnnotationOrder, { where: string; order: string }> = {
  starred: { where: "an.starred = 1", order: "an.starredAt DESC, an.itemId" },
  highest: { where: "an.rating > 0", order: "an.rating DESC, an.itemId" },
  frequent: { where: "an.playCount > 0", order: "an.playCount DESC, an.itemId" },
  recent: { where: "an.playDate IS NOT NULL", order: "an.playDate DESC, an.itemId" },
};

/** One page of the albums in these libraries a user starred, rated, played or played lately, in that order. */
export async function annotatedAlbumPage(userId: string, libraryIds: number[], order: AlbumAnnotationOrder, page: Page): Promise<Album[]> {
  const { where, order: by } = ANNOTATION_ORDERS[order];
  return raw<Album>(
    `SELECT al.* FROM Annotation an JOIN Album al ON al.id = an.itemId
     WHERE an.userId = ? AND an.itemType = 'album' AND ${where} AND al.libraryId IN (${libraryList(libraryIds)})
     ORDER BY ${by} LIMIT ? OFFSET ?`,
    userId,
    page.take,
    page.skip,
  );
}

// ---- songs

/** Filters for picking random tracks: genre and an inclusive year range, each optional. */
export interface TrackFilter {
  genre?: string;
  fromYear?: number;
  toYear?: number;
}

/**
 * Up to `size` random tracks in these libraries that pass the filter. SQLite draws random
 * rowids between the lowest and highest (64 per track asked, at least 1 000) and keeps the
 * tracks that exist and pass: a few thousand rowid lookups however big the library, uniform
 * over the matching tracks (rowids have few holes: rescans update rows in place). When that
 * leaves fewer than `size` (a filter matching a small share of the library), it shuffles all
 * matching rowids instead (`ORDER BY random()`, a full walk).
 */
export async function randomTracks(libraryIds: number[], f: TrackFilter, size: number): Promise<MediaFile[]> {
  const all = await coversAllLibraries(libraryIds);
  const conds = [all ? "1" : `libraryId IN (${libraryList(libraryIds)})`];
  const args: unknown[] = [];
  if (f.genre) {
    conds.push("instr(genres, ?) > 0");
    args.push(JSON.stringify(f.genre));
  }
  if (f.fromYear !== undefined) {
    conds.push("year >= ?");
    args.push(f.fromYear);
  }
  if (f.toYear !== undefined) {
    conds.push("year <= ?");
    args.push(f.toYear);
  }
  const where = conds.join(" AND ");
  // min(rowid) and max(rowid) each read one end of the table; random() runs once per draw.
  const lo = "(SELECT min(rowid) FROM MediaFile)";
  const hi = "(SELECT max(rowid) FROM MediaFile)";
  const drawn = await raw<MediaFile>(
    `WITH RECURSIVE draw(n, r) AS (SELECT 0, NULL UNION ALL SELECT n + 1, ${lo} + abs(random() % (${hi} - ${lo} + 1)) FROM draw WHERE n < ?)
     SELECT * FROM MediaFile WHERE rowid IN (SELECT r FROM draw WHERE r IS NOT NULL) AND ${where} ORDER BY random() LIMIT ?`,
    Math.max(1_000, size * 64),
    ...args,
    size,
  );
  if (drawn.length >= size) return drawn;
  return raw<MediaFile>(
    `SELECT t.* FROM (SELECT rowid AS r, random() AS k FROM MediaFile WHERE ${where} ORDER BY k LIMIT ?) p
     JOIN MediaFile t ON t.rowid = p.r ORDER BY p.k`,
    ...args,
    size,
  );
}

/** One page of a genre's tracks in these libraries, by album, disc and track. */
export async function genreTrackPage(genre: string, libraryIds: number[], page: Page): Promise<MediaFile[]> {
  return raw<MediaFile>(
    `SELECT t.* FROM MediaFile t WHERE t.libraryId IN (${libraryList(libraryIds)}) AND instr(t.genres, ?) > 0
     ORDER BY t.album, t.discNumber, t.trackNumber, t.id LIMIT ? OFFSET ?`,
    JSON.stringify(genre),
    page.take,
    page.skip,
  );
}

/**
 * The tracks of these libraries counted per album and genre list (`genres` JSON, undecoded):
 * about one row per album, so getGenres decodes a few thousand lists, not every track's.
 */
export async function genreListsByAlbum(libraryIds: number[]): Promise<{ albumId: string; genres: string; n: number | bigint }[]> {
  return raw(`SELECT albumId, genres, count(*) AS n FROM MediaFile WHERE libraryId IN (${libraryList(libraryIds)}) GROUP BY albumId, genres`);
}

// ---- artists

/** The columns of an artist the Subsonic artist indexes show (getIndexes, getArtists). */
export type IndexArtist = Pick<Artist, "id" | "name" | "orderName" | "albumCount" | "largeImageUrl" | "mbzArtistId">;

/**
 * The album artists of the albums in these libraries, in index order: a walk of the
 * `orderName` index (ties by rowid, the index's own order, so nothing is sorted), each artist
 * kept when an album of theirs is in the libraries. `columns` "*" or a list.
 */
function albumArtistsSql(libraryIds: number[], columns: string): string {
  return `SELECT ${columns} FROM Artist ar WHERE EXISTS (SELECT 1 FROM Album al WHERE al.albumArtistId = ar.id AND al.libraryId IN (${libraryList(libraryIds)}))
    ORDER BY ar.orderName, ar.rowid`;
}

/** The album artists of the albums in these libraries, whole rows, in index order. */
export async function albumArtistsIn(libraryIds: number[]): Promise<Artist[]> {
  return raw<Artist>(albumArtistsSql(libraryIds, "ar.*"));
}

/** The same artists with only the index's columns (a third of the cost for thousands of artists). */
export async function indexArtistsIn(libraryIds: number[]): Promise<IndexArtist[]> {
  return raw<IndexArtist>(albumArtistsSql(libraryIds, "ar.id, ar.name, ar.orderName, ar.albumCount, ar.largeImageUrl, ar.mbzArtistId"));
}

/** An artist's albums in these libraries, oldest first. */
export async function albumsOfArtist(artistId: string, libraryIds: number[]): Promise<Album[]> {
  return raw<Album>(
    `SELECT al.* FROM Album al WHERE al.albumArtistId = ? AND al.libraryId IN (${libraryList(libraryIds)}) ORDER BY al.maxYear, al.orderName, al.id`,
    artistId,
  );
}

/**
 * Ids of every artist credited (any role, from `MediaFile.participants`) on a track in these
 * libraries: each distinct credit list decoded once (there are about as many as artists).
 * Reads every track of the libraries: only users limited to some libraries need it.
 */
export async function participantIdsIn(libraryIds: number[]): Promise<Set<string>> {
  const rows = await raw<{ participants: string }>(`SELECT DISTINCT participants FROM MediaFile WHERE libraryId IN (${libraryList(libraryIds)})`);
  const ids = new Set<string>();
  for (const r of rows) for (const p of JSON.parse(r.participants) as { id: string }[]) ids.add(p.id);
  return ids;
}

// ---- starred and annotations

/** A user's starred artists (limited to `visible` when given), newest star first. */
export async function starredArtists(userId: string, visible: Set<string> | null): Promise<Artist[]> {
  return raw<Artist>(
    `SELECT ar.* FROM Annotation an JOIN Artist ar ON ar.id = an.itemId
     WHERE an.userId = ? AND an.itemType = 'artist' AND an.starred = 1 ${visible ? "AND ar.id IN (SELECT value FROM json_each(?))" : ""}
     ORDER BY an.starredAt DESC, an.itemId`,
    userId,
    ...(visible ? [JSON.stringify([...visible])] : []),
  );
}

/** A user's starred albums in these libraries, newest star first. */
export async function starredAlbums(userId: string, libraryIds: number[]): Promise<Album[]> {
  return raw<Album>(
    `SELECT al.* FROM Annotation an JOIN Album al ON al.id = an.itemId
     WHERE an.userId = ? AND an.itemType = 'album' AND an.starred = 1 AND al.libraryId IN (${libraryList(libraryIds)})
     ORDER BY an.starredAt DESC, an.itemId`,
    userId,
  );
}

/** A user's starred tracks in these libraries, newest star first. */
export async function starredTracks(userId: string, libraryIds: number[]): Promise<MediaFile[]> {
  return raw<MediaFile>(
    `SELECT t.* FROM Annotation an JOIN MediaFile t ON t.id = an.itemId
     WHERE an.userId = ? AND an.itemType = 'track' AND an.starred = 1 AND t.libraryId IN (${libraryList(libraryIds)})
     ORDER BY an.starredAt DESC, an.itemId`,
    userId,
  );
}

/** A user's annotations of the given items, in one statement however many ids (kinds left out or empty are skipped). */
export async function annotationsOf(userId: string, items: Partial<Record<"track" | "album" | "artist", string[]>>): Promise<Annotation[]> {
  const kinds = (Object.entries(items) as [string, string[] | undefined][]).filter(([, ids]) => ids?.length);
  if (!kinds.length) return [];
  const ors = kinds.map(() => "(itemType = ? AND itemId IN (SELECT value FROM json_each(?)))").join(" OR ");
  return raw<Annotation>(`SELECT * FROM Annotation WHERE userId = ? AND (${ors})`, userId, ...kinds.flatMap(([kind, ids]) => [kind, JSON.stringify(ids)]));
}
