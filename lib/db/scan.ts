import "server-only";
import type Database from "better-sqlite3";
import { participantsOf, type Participant } from "./catalog";
import { db } from "./client";
import type { Library, Prisma } from "./generated/prisma/client";
import { inWriteTransaction, scanConnection } from "./scan-connection";

export { closeScanConnection } from "./scan-connection";

/**
 * The scanner's reads and writes: a library's tracks by path, then albums, artists and
 * library totals rebuilt from the tracks. Agent-provided info on albums and artists
 * (descriptions, images) survives a rebuild.
 *
 * Bulk work goes through the scanner's own connection (scan-connection.ts) with prepared
 * statements. Writes are upserts that change a row only when a scanned column differs, so an
 * unchanged library rescans without writing, a changed track keeps its id, creation time and
 * what points at it (scrobbles), and every write function answers how many rows it changed.
 */

/** The libraries a scan covers, by id: one, or all when `libraryId` is absent. */
export async function librariesToScan(libraryId?: number): Promise<Library[]> {
  return db().library.findMany({ where: libraryId ? { id: libraryId } : {}, orderBy: { id: "asc" } });
}

export async function markScanStarted(libraryId: number): Promise<void> {
  await db().library.update({ where: { id: libraryId }, data: { lastScanStartedAt: new Date() } });
}

/** How Prisma stores a DateTime in SQLite (adapter-better-sqlite3, "iso8601"). */
const sqlDate = (d: Date) => d.toISOString().replace("Z", "+00:00");

/** The stored modification time and size of each track of a library, by relative path. */
export async function trackStamps(libraryId: number): Promise<Map<string, { mtime: Date; size: bigint }>> {
  const out = new Map<string, { mtime: Date; size: bigint }>();
  for (const [p, s] of await trackStampIndex(libraryId)) out.set(p, { mtime: new Date(s.mtimeMs), size: BigInt(s.size) });
  return out;
}

/** The same as plain numbers (ms since the epoch, bytes): what a scan compares 100 000 files against, held for the whole scan. */
export async function trackStampIndex(libraryId: number): Promise<Map<string, { mtimeMs: number; size: number }>> {
  const conn = await scanConnection();
  const out = new Map<string, { mtimeMs: number; size: number }>();
  for (const r of conn.prepare("SELECT path, mtime, size FROM MediaFile WHERE libraryId = ?").iterate(libraryId) as Iterable<{ path: string; mtime: string; size: number }>)
    out.set(r.path, { mtimeMs: Date.parse(r.mtime), size: r.size });
  return out;
}

/** MediaFile columns the scanner writes, with the schema's defaults for those a caller leaves out. */
const TRACK_DEFAULTS = {
  album: "", artist: "", albumArtist: "", participants: "[]", trackNumber: 0, discNumber: 0, year: 0, genre: "", genres: "[]", duration: 0, bitRate: 0,
  sampleRate: 0, channels: 0, size: 0n, suffix: "", contentType: "", hasCoverArt: false, mbzRecordingId: "", mbzReleaseTrackId: "", mbzAlbumId: "",
  mbzReleaseGroupId: "", mbzArtistId: "", mbzAlbumArtistId: "", isrc: "", lyrics: "[]",
};
const TRACK_COLUMNS = ["id", "libraryId", "path", "title", "albumId", "artistId", "albumArtistId", "mtime", ...Object.keys(TRACK_DEFAULTS)];

/**
 * `INSERT … ON CONFLICT(id) DO UPDATE` of `columns` (plus `updatedAt`, and `createdAt` on
 * insert) that updates only when one of them differs: `changes` then counts real writes.
 * Parameters are positional (`columns` in order, then the time twice), which binds faster than names.
 */
function upsertSql(table: string, columns: string[]): string {
  const q = (c: string) => `"${c}"`;
  const set = columns.filter((c) => c !== "id");
  return `INSERT INTO "${table}" (${[...columns, "createdAt", "updatedAt"].map(q).join(", ")})
    VALUES (${[...columns.map(() => "?"), "?", "?"].join(", ")})
    ON CONFLICT("id") DO UPDATE SET ${[...set.map((c) => `${q(c)} = excluded.${q(c)}`), `"updatedAt" = excluded."updatedAt"`].join(", ")}
    WHERE (${set.map(q).join(", ")}) IS NOT (${set.map((c) => `excluded.${q(c)}`).join(", ")})`;
}

/** A value as better-sqlite3 binds it the way Prisma stores it (dates as text, booleans as 0/1). */
function bindable(v: unknown): unknown {
  if (v instanceof Date) return sqlDate(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}

function bindRow(row: Record<string, unknown>, columns: string[], now: string): unknown[] {
  const out = new Array<unknown>(columns.length + 2);
  for (let i = 0; i < columns.length; i++) out[i] = bindable(row[columns[i]]);
  out[columns.length] = now;
  out[columns.length + 1] = now;
  return out;
}

/** Stores freshly read tracks by path, in one transaction; answers the rows that changed. */
export async function replaceTracks(libraryId: number, tracks: Prisma.MediaFileCreateManyInput[]): Promise<number> {
  if (tracks.length === 0) return 0;
  const conn = await scanConnection();
  const upsert = conn.prepare(upsertSql("MediaFile", TRACK_COLUMNS));
  const now = sqlDate(new Date());
  return inWriteTransaction(conn, () => {
    let changed = 0;
    for (const t of tracks) changed += upsert.run(...bindRow({ ...TRACK_DEFAULTS, ...t, libraryId }, TRACK_COLUMNS, now)).changes;
    return changed;
  });
}

/** Removes a library's tracks at these paths (their scrobbles go with them); answers how many. */
export async function deleteTracksAt(libraryId: number, paths: string[]): Promise<number> {
  if (paths.length === 0) return 0;
  const conn = await scanConnection();
  const del = conn.prepare("DELETE FROM MediaFile WHERE libraryId = ? AND path = ?");
  return inWriteTransaction(conn, () => paths.reduce((n, p) => n + del.run(libraryId, p).changes, 0));
}

/** What an album is rebuilt from, per track of a library (genres decoded). */
export interface AlbumSourceTrack {
  id: string;
  path: string;
  album: string;
  albumId: string;
  albumArtist: string;
  albumArtistId: string;
  year: number;
  genres: string[];
  duration: number;
  size: bigint;
  mbzAlbumId: string;
  mbzReleaseGroupId: string;
  hasCoverArt: boolean;
}

/**
 * A library's tracks as album sources, streamed in path order (memory stays flat in the
 * library's size). Finish iterating before the next write: the scan connection is busy meanwhile.
 */
export async function albumSourceTracks(libraryId: number): Promise<Iterable<AlbumSourceTrack>> {
  const rows = (await scanConnection())
    .prepare("SELECT id, path, album, albumId, albumArtist, albumArtistId, year, genres, duration, size, mbzAlbumId, mbzReleaseGroupId, hasCoverArt FROM MediaFile WHERE libraryId = ? ORDER BY path")
    .iterate(libraryId) as IterableIterator<Omit<AlbumSourceTrack, "genres" | "size" | "hasCoverArt"> & { genres: string; size: number; hasCoverArt: number }>;
  return (function* () {
    for (const r of rows) yield { ...r, genres: JSON.parse(r.genres) as string[], size: BigInt(r.size), hasCoverArt: r.hasCoverArt !== 0 };
  })();
}

const ALBUM_DEFAULTS = {
  sortName: "", orderName: "", albumArtist: "", minYear: 0, maxYear: 0, genre: "", genres: "[]", songCount: 0, duration: 0, size: 0n,
  mbzAlbumId: "", mbzReleaseGroupId: "", coverArtPath: "",
};
const ALBUM_COLUMNS = ["id", "libraryId", "name", "albumArtistId", ...Object.keys(ALBUM_DEFAULTS)];

/** Ids kept by a rebuild, in a temporary table of the scan connection (a NOT IN list of 100 000 would not bind). */
function keepOnly(conn: Database.Database, ids: Iterable<string>): void {
  conn.exec('CREATE TEMP TABLE IF NOT EXISTS scan_keep ("id" TEXT PRIMARY KEY) WITHOUT ROWID');
  conn.exec("DELETE FROM scan_keep");
  const add = conn.prepare("INSERT OR IGNORE INTO scan_keep (id) VALUES (?)");
  for (const id of ids) add.run(id);
}

/**
 * Makes a library's albums exactly these, in one transaction (`batch` is kept for callers;
 * rows are written one prepared statement at a time). An album that existed keeps its agent
 * info (description, URLs, images, refresh time) and `createdAt`; one whose scanned columns
 * did not change is not written. Answers the rows changed (written or deleted).
 */
export async function replaceAlbums(libraryId: number, albums: Prisma.AlbumCreateManyInput[], _batch?: number): Promise<number> {
  const conn = await scanConnection();
  const upsert = conn.prepare(upsertSql("Album", ALBUM_COLUMNS));
  const now = sqlDate(new Date());
  return inWriteTransaction(conn, () => {
    let changed = 0;
    for (const a of albums) changed += upsert.run(...bindRow({ ...ALBUM_DEFAULTS, ...a, libraryId }, ALBUM_COLUMNS, now)).changes;
    keepOnly(conn, albums.map((a) => a.id));
    changed += conn.prepare("DELETE FROM Album WHERE libraryId = ? AND id NOT IN (SELECT id FROM scan_keep)").run(libraryId).changes;
    return changed;
  });
}

/** Every track's album, credits (decoded) and size, across all libraries, streamed (finish before the next write). */
export async function artistSourceTracks(): Promise<Iterable<{ albumId: string; participants: Participant[]; size: bigint }>> {
  const rows = (await scanConnection()).prepare("SELECT albumId, participants, size FROM MediaFile").iterate() as IterableIterator<{ albumId: string; participants: string; size: number }>;
  return (function* () {
    for (const r of rows) yield { albumId: r.albumId, participants: participantsOf(r), size: BigInt(r.size) };
  })();
}

/** An artist as the scan computes it. */
export interface ScannedArtist {
  id: string;
  name: string;
  sortName: string;
  orderName: string;
  mbzArtistId: string;
  albumCount: number;
  songCount: number;
  size: bigint;
}

const ARTIST_COLUMNS = ["id", "name", "sortName", "orderName", "mbzArtistId", "albumCount", "songCount", "size"];

/**
 * Makes the artist table exactly these artists, in one transaction: others deleted, existing
 * ones updated when a scanned column differs (agent info kept), new ones created. Answers the
 * rows changed.
 */
export async function syncArtists(artists: ScannedArtist[]): Promise<number> {
  const conn = await scanConnection();
  const upsert = conn.prepare(upsertSql("Artist", ARTIST_COLUMNS));
  const now = sqlDate(new Date());
  return inWriteTransaction(conn, () => {
    let changed = 0;
    for (const a of artists) changed += upsert.run(...bindRow(a as unknown as Record<string, unknown>, ARTIST_COLUMNS, now)).changes;
    keepOnly(conn, artists.map((a) => a.id));
    changed += conn.prepare("DELETE FROM Artist WHERE id NOT IN (SELECT id FROM scan_keep)").run().changes;
    return changed;
  });
}

/** Tracks across all libraries. */
export async function trackCount(): Promise<number> {
  return ((await scanConnection()).prepare("SELECT COUNT(*) AS n FROM MediaFile").get() as { n: number }).n;
}

/**
 * Recomputes a library's totals (songs, albums, artists, size, duration) and stamps the
 * scan's end; with `unchanged` (no track or album of it written) only stamps the end.
 */
export async function refreshLibraryTotals(libraryId: number, unchanged = false): Promise<void> {
  if (unchanged) {
    await db().library.update({ where: { id: libraryId }, data: { lastScanAt: new Date() } });
    return;
  }
  const conn = await scanConnection();
  const t = conn
    .prepare("SELECT COUNT(*) AS songs, COUNT(DISTINCT artistId) AS artists, COALESCE(SUM(size), 0) AS size, COALESCE(SUM(duration), 0) AS duration FROM MediaFile WHERE libraryId = ?")
    .get(libraryId) as { songs: number; artists: number; size: number; duration: number };
  const { albums } = conn.prepare("SELECT COUNT(*) AS albums FROM Album WHERE libraryId = ?").get(libraryId) as { albums: number };
  await db().library.update({
    where: { id: libraryId },
    data: { totalSongs: t.songs, totalAlbums: albums, totalArtists: t.artists, totalSize: BigInt(t.size), totalDuration: t.duration, lastScanAt: new Date() },
  });
}
