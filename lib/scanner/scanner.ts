import "server-only";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Library } from "../db/rows";
import { albumSourceTracks, artistSourceTracks, deleteTracksAt, librariesToScan, markScanStarted, refreshLibraryTotals, replaceAlbums, replaceTracks, syncArtists, trackStamps } from "../db/scan";
import { log } from "../log";
import { remember } from "../server/remember";
import { artistId } from "./ids";
import { AUDIO_EXTENSIONS, readTrack, type ScannedTrack } from "./tags";

/** What the admin UI and `getScanStatus` show. */
export interface ScanStatus {
  scanning: boolean;
  /** Files examined in the current (or last) scan. */
  count: number;
  /** Files whose tags were (re)read. */
  changed: number;
  removed: number;
  errors: { path: string; error: string }[];
  startedAt: Date | null;
  finishedAt: Date | null;
  libraryId: number | null;
}

const status = remember<ScanStatus>("scanStatus", () => ({ scanning: false, count: 0, changed: 0, removed: 0, errors: [], startedAt: null, finishedAt: null, libraryId: null }));
const running = remember("scanRunning", () => ({ promise: null as Promise<void> | null }));

export function scanStatus(): ScanStatus {
  return { ...status, errors: [...status.errors] };
}

const PARSE_CONCURRENCY = 16;
const WRITE_BATCH = 500;
const MAX_ERRORS_KEPT = 100;
const COVER_NAMES = ["cover", "folder", "front", "album", "albumart"];
const IMAGE_EXTENSIONS = [".jpg", ".jpeg", ".png", ".webp", ".gif"];

interface Walked {
  audio: { rel: string; mtimeMs: number; size: number }[];
  /** Folder (relative) → cover image file (relative). */
  covers: Map<string, string>;
}

async function walk(root: string): Promise<Walked> {
  const out: Walked = { audio: [], covers: new Map() };
  const stack = [""];
  while (stack.length) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = await readdir(path.join(root, dir), { withFileTypes: true });
    } catch (err) {
      recordError(dir || ".", err);
      continue;
    }
    const files = entries.filter((e) => e.isFile()).map((e) => e.name);
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) stack.push(rel);
    }
    const cover = files
      .filter((f) => IMAGE_EXTENSIONS.includes(path.extname(f).toLowerCase()) && COVER_NAMES.includes(path.basename(f, path.extname(f)).toLowerCase()))
      .sort((a, b) => COVER_NAMES.indexOf(path.basename(a, path.extname(a)).toLowerCase()) - COVER_NAMES.indexOf(path.basename(b, path.extname(b)).toLowerCase()))[0];
    if (cover) out.covers.set(dir, dir ? `${dir}/${cover}` : cover);
    await Promise.all(
      files
        .filter((f) => !f.startsWith(".") && AUDIO_EXTENSIONS.has(path.extname(f).slice(1).toLowerCase()))
        .map(async (f) => {
          const rel = dir ? `${dir}/${f}` : f;
          try {
            const st = await stat(path.join(root, rel));
            out.audio.push({ rel, mtimeMs: st.mtimeMs, size: st.size });
          } catch (err) {
            recordError(rel, err);
          }
        }),
    );
  }
  return out;
}

function recordError(p: string, err: unknown): void {
  const error = (err as Error).message ?? String(err);
  if (status.errors.length < MAX_ERRORS_KEPT) status.errors.push({ path: p, error });
  log.warn({ path: p, err: error }, "Scanner could not read a file");
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/**
 * Scans one library: new and changed files (by size and modification time, or all with
 * `full`) are read, missing ones removed, then albums, artists and the library's
 * statistics are rebuilt from the tracks.
 */
async function scanOne(lib: Library, full: boolean): Promise<void> {
  const root = lib.path;
  const walked = await walk(root);
  const existing = await trackStamps(lib.id);
  const toRead = walked.audio.filter((f) => {
    const row = existing.get(f.rel);
    return full || !row || row.mtime.getTime() !== Math.trunc(f.mtimeMs) || Number(row.size) !== f.size;
  });
  status.count += walked.audio.length;

  const read = await mapLimit(toRead, PARSE_CONCURRENCY, async (f) => {
    try {
      const t = await readTrack(lib.id, root, f.rel);
      t.mtime = new Date(Math.trunc(f.mtimeMs));
      status.changed++;
      return t;
    } catch (err) {
      recordError(f.rel, err);
      return null;
    }
  });
  const tracks = read.filter((t): t is ScannedTrack => t !== null);

  const present = new Set(walked.audio.map((f) => f.rel));
  const gone = [...existing.keys()].filter((p) => !present.has(p));
  status.removed += gone.length;

  for (let i = 0; i < tracks.length; i += WRITE_BATCH) await replaceTracks(lib.id, tracks.slice(i, i + WRITE_BATCH));
  for (let i = 0; i < gone.length; i += WRITE_BATCH) await deleteTracksAt(lib.id, gone.slice(i, i + WRITE_BATCH));

  await rebuildAlbums(lib, walked.covers);
}

/** Albums of a library, rebuilt from its tracks (cover: folder image, else embedded art). */
async function rebuildAlbums(lib: Library, covers: Map<string, string>): Promise<void> {
  const rows = await albumSourceTracks(lib.id);
  interface Acc {
    id: string;
    name: string;
    albumArtist: string;
    albumArtistId: string;
    minYear: number;
    maxYear: number;
    genres: Map<string, number>;
    songCount: number;
    duration: number;
    size: bigint;
    mbzAlbumId: string;
    mbzReleaseGroupId: string;
    coverArtPath: string;
  }
  const albums = new Map<string, Acc>();
  for (const r of rows) {
    let a = albums.get(r.albumId);
    if (!a) {
      a = { id: r.albumId, name: r.album, albumArtist: r.albumArtist, albumArtistId: r.albumArtistId, minYear: 0, maxYear: 0, genres: new Map(), songCount: 0, duration: 0, size: 0n, mbzAlbumId: "", mbzReleaseGroupId: "", coverArtPath: "" };
      albums.set(r.albumId, a);
    }
    a.songCount++;
    a.duration += r.duration;
    a.size += r.size;
    if (r.year) {
      a.minYear = a.minYear ? Math.min(a.minYear, r.year) : r.year;
      a.maxYear = Math.max(a.maxYear, r.year);
    }
    for (const g of r.genres) a.genres.set(g, (a.genres.get(g) ?? 0) + 1);
    a.mbzAlbumId ||= r.mbzAlbumId;
    a.mbzReleaseGroupId ||= r.mbzReleaseGroupId;
    const folderCover = covers.get(path.posix.dirname(r.path) === "." ? "" : path.posix.dirname(r.path));
    if (!a.coverArtPath && folderCover) a.coverArtPath = folderCover;
    if (!a.coverArtPath && r.hasCoverArt) a.coverArtPath = `embedded:${r.id}`;
  }
  const data = [...albums.values()].map((a) => {
    const genres = [...a.genres.entries()].sort((x, y) => y[1] - x[1]).map(([g]) => g);
    return {
      id: a.id,
      libraryId: lib.id,
      name: a.name,
      sortName: a.name,
      orderName: orderName(a.name),
      albumArtistId: a.albumArtistId,
      albumArtist: a.albumArtist,
      minYear: a.minYear,
      maxYear: a.maxYear,
      genre: genres[0] ?? "",
      genres: JSON.stringify(genres),
      songCount: a.songCount,
      duration: a.duration,
      size: a.size,
      mbzAlbumId: a.mbzAlbumId,
      mbzReleaseGroupId: a.mbzReleaseGroupId,
      coverArtPath: a.coverArtPath,
    };
  });
  // Albums that still exist keep their agent-provided info (description, images).
  await replaceAlbums(lib.id, data, WRITE_BATCH);
}

/** Artists across all libraries, rebuilt from track credits (agent info kept). */
async function rebuildArtists(): Promise<void> {
  const rows = await artistSourceTracks();
  const acc = new Map<string, { id: string; name: string; mbid: string; albums: Set<string>; songs: number; size: bigint }>();
  for (const r of rows) {
    const seen = new Set<string>();
    for (const p of r.participants) {
      let a = acc.get(p.id);
      if (!a) acc.set(p.id, (a = { id: p.id, name: p.name, mbid: p.mbid ?? "", albums: new Set(), songs: 0, size: 0n }));
      a.mbid ||= p.mbid ?? "";
      a.albums.add(r.albumId);
      if (!seen.has(p.id)) {
        seen.add(p.id);
        if (p.role === "artist") {
          a.songs++;
          a.size += r.size;
        }
      }
    }
  }
  await syncArtists(
    [...acc.values()].map((a) => ({ id: a.id, name: a.name, sortName: a.name, orderName: orderName(a.name), mbzArtistId: a.mbid, albumCount: a.albums.size, songCount: a.songs, size: a.size })),
  );
}

/** Sort key: lower case, leading articles moved out of the way (Navidrome's `IgnoredArticles`). */
export function orderName(name: string): string {
  return name
    .toLowerCase()
    .replace(/^(the|el|la|los|las|le|les|os|as|o|a)\s+/, "")
    .trim();
}

/**
 * Scans every library (or one). Only one scan runs at a time; asking again while one
 * runs returns the running scan.
 */
export function startScan(opts: { full?: boolean; libraryId?: number } = {}): Promise<void> {
  if (running.promise) return running.promise;
  Object.assign(status, { scanning: true, count: 0, changed: 0, removed: 0, errors: [], startedAt: new Date(), finishedAt: null, libraryId: opts.libraryId ?? null });
  running.promise = (async () => {
    const started = performance.now();
    try {
      const libs = await librariesToScan(opts.libraryId);
      for (const lib of libs) {
        await markScanStarted(lib.id);
        await scanOne(lib, opts.full ?? false);
      }
      await rebuildArtists();
      for (const lib of libs) await refreshLibraryTotals(lib.id);
      log.info({ files: status.count, changed: status.changed, removed: status.removed, ms: Math.round(performance.now() - started) }, "Scan finished");
    } catch (err) {
      recordError("", err);
      log.error({ err: (err as Error).message }, "Scan failed");
    } finally {
      status.scanning = false;
      status.finishedAt = new Date();
      running.promise = null;
    }
  })();
  return running.promise;
}

export { artistId };
