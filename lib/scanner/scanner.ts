import "server-only";
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Library } from "../db/rows";
import { albumSourceTracks, artistSourceTracks, closeScanConnection, deleteTracksAt, librariesToScan, markScanStarted, refreshLibraryTotals, replaceAlbums, replaceTracks, syncArtists, trackCount, trackStampIndex } from "../db/scan";
import { log } from "../log";
import { remember } from "../server/remember";
import { artistId } from "./ids";
import { TagReader, type FileJob } from "./tag-pool";
import { AUDIO_EXTENSIONS, trackFromMetadata, type ScannedTrack } from "./tags";

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

const READ_BATCH = 128;
const WRITE_BATCH = 500;
const MAX_ERRORS_KEPT = 100;
const COVER_NAMES = ["cover", "folder", "front", "album", "albumart"];
const IMAGE_EXTENSIONS = [".jpg", ".jpeg", ".png", ".webp", ".gif"];

/**
 * What the last rebuild in this process saw, so an unchanged rescan skips it: per library the
 * folder covers it used, and the track count the artists were built from. Empty after a
 * restart, so the first scan of a process always rebuilds (rebuilds write only what differs).
 */
const lastBuilt = remember("scanLastBuilt", () => ({ covers: new Map<number, string>(), artistTracks: -1 }));

/** The cover image of a folder, by the preferred names, from its file names. */
function folderCover(files: string[]): string | undefined {
  const rank = (f: string) => COVER_NAMES.indexOf(path.basename(f, path.extname(f)).toLowerCase());
  return files.filter((f) => IMAGE_EXTENSIONS.includes(path.extname(f).toLowerCase()) && rank(f) >= 0).sort((a, b) => rank(a) - rank(b))[0];
}

/** Longest stretch the walk keeps the event loop before letting other work (HTTP requests) run. */
const WALK_SLICE_MS = 8;
/** A synchronous listing slower than this means a slow file system (a network mount): the rest go through the libuv pool. */
const SLOW_LISTING_MS = 10;

/**
 * Walks a library one folder at a time (nothing but the folder in hand and the stack of
 * folders to visit is held), recording folder covers and handing each audio file's relative
 * path to `visit`.
 *
 * Listings are read synchronously, in slices of at most {@link WALK_SLICE_MS} between which
 * the event loop runs: a folder listing costs ~20 µs that way against ~90 µs as a promise
 * through the libuv pool, and on an unchanged rescan of 100 000 tracks (14 000 folders) the
 * promise round trips were two thirds of the whole scan (issue #18). On a file system where
 * one listing takes longer than {@link SLOW_LISTING_MS} (NFS, SMB), a synchronous read would
 * hold every request that long, so from then on the walk reads listings asynchronously.
 */
async function walk(root: string, covers: Map<string, string>, visit: (rel: string) => Promise<void>): Promise<void> {
  const stack = [""];
  let slice = performance.now();
  let sync = true;
  while (stack.length) {
    if (performance.now() - slice > WALK_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
    const dir = stack.pop()!;
    const folder = path.join(root, dir);
    let entries;
    try {
      if (sync) {
        const started = performance.now();
        try {
          entries = readdirSync(folder, { withFileTypes: true });
        } finally {
          // Failures count too: a mount that answers only with a timeout is slow.
          if (performance.now() - started > SLOW_LISTING_MS) sync = false;
        }
      } else {
        entries = await readdir(folder, { withFileTypes: true });
      }
    } catch (err) {
      recordError(dir || ".", err);
      continue;
    }
    const files = entries.filter((e) => e.isFile()).map((e) => e.name);
    for (const e of entries) if (!e.name.startsWith(".") && e.isDirectory()) stack.push(dir ? `${dir}/${e.name}` : e.name);
    const cover = folderCover(files);
    if (cover) covers.set(dir, dir ? `${dir}/${cover}` : cover);
    for (const f of files) if (!f.startsWith(".") && AUDIO_EXTENSIONS.has(path.extname(f).slice(1).toLowerCase())) await visit(dir ? `${dir}/${f}` : f);
  }
}

function recordError(p: string, err: unknown): void {
  const error = (err as Error).message ?? String(err);
  if (status.errors.length < MAX_ERRORS_KEPT) status.errors.push({ path: p, error });
  log.warn({ path: p, err: error }, "Scanner could not read a file");
}

/**
 * Scans one library as a pipeline: the walk lists folders and hands files in batches to the
 * tag workers, which stat them and read those that are new or changed (by size and
 * modification time, or all with `full`) while the walk goes on; tracks are written 500 to a
 * transaction as they come; files no longer found are removed at the end. Then albums are
 * rebuilt from the tracks, unless nothing changed. Answers whether any track row changed, and
 * whether nothing of the library did (its totals then stand).
 */
async function scanOne(lib: Library, full: boolean, reader: TagReader): Promise<{ tracksChanged: boolean; unchanged: boolean }> {
  const root = lib.path;
  const unseen = await trackStampIndex(lib.id); // what is left at the end is gone
  const covers = new Map<string, string>();
  let pending: ScannedTrack[] = [];
  let batch: FileJob[] = [];
  let changedRows = 0;
  let failure: unknown = null;
  const inflight = new Set<Promise<void>>();

  const flush = async () => {
    const rows = pending;
    pending = [];
    changedRows += await replaceTracks(lib.id, rows);
  };
  const scanBatch = async (files: FileJob[]) => {
    for (const r of await reader.scan(root, files, full)) {
      if ("statError" in r) {
        recordError(r.rel, new Error(r.statError));
        continue;
      }
      status.count++;
      unseen.delete(r.rel);
      if ("same" in r) continue;
      try {
        if (!r.meta) throw new Error(r.error ?? "tags not read");
        pending.push(trackFromMetadata(lib.id, r.rel, r.meta, { size: r.size, mtime: new Date(r.mtimeMs) }));
        status.changed++;
      } catch (err) {
        recordError(r.rel, err);
      }
    }
    if (pending.length >= WRITE_BATCH) await flush();
  };
  // At most four batches per worker are in flight: enough that a worker never waits for the
  // main thread (an unchanged batch is answered in a few ms), few enough that the walk waits
  // for the workers rather than queueing the whole library.
  const dispatch = async () => {
    const p: Promise<void> = scanBatch(batch)
      .catch((err) => void (failure ??= err))
      .finally(() => inflight.delete(p));
    batch = [];
    inflight.add(p);
    if (inflight.size >= reader.workers * 4) await Promise.race(inflight);
    if (failure) throw failure;
  };

  await walk(root, covers, async (rel) => {
    const known = unseen.get(rel);
    batch.push(known ? { rel, mtimeMs: known.mtimeMs, size: known.size } : { rel });
    if (batch.length >= READ_BATCH) await dispatch();
  });
  if (batch.length) await dispatch();
  await Promise.all(inflight);
  if (failure) throw failure;
  await flush();

  const gone = [...unseen.keys()];
  status.removed += gone.length;
  for (let i = 0; i < gone.length; i += WRITE_BATCH) changedRows += await deleteTracksAt(lib.id, gone.slice(i, i + WRITE_BATCH));

  const coverPrint = createHash("sha1").update(JSON.stringify([...covers.entries()].sort())).digest("hex");
  // Skipped only when this process already built this library's albums from these tracks and
  // covers; then its totals stand too (the first scan of a process recomputes both).
  let rebuilt = false;
  if (changedRows > 0 || lastBuilt.covers.get(lib.id) !== coverPrint) {
    lastBuilt.covers.delete(lib.id);
    await rebuildAlbums(lib, covers);
    lastBuilt.covers.set(lib.id, coverPrint);
    rebuilt = true;
  }
  return { tracksChanged: changedRows > 0, unchanged: !rebuilt };
}

/** Albums of a library, rebuilt from its tracks (cover: folder image, else embedded art). */
async function rebuildAlbums(lib: Library, covers: Map<string, string>): Promise<void> {
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
  for (const r of await albumSourceTracks(lib.id)) {
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
  const acc = new Map<string, { id: string; name: string; mbid: string; albums: Set<string>; songs: number; size: bigint }>();
  for (const r of await artistSourceTracks()) {
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
 * runs returns the running scan. `readers`: tag workers (default: one per core but one).
 */
export function startScan(opts: { full?: boolean; libraryId?: number; readers?: number } = {}): Promise<void> {
  if (running.promise) return running.promise;
  Object.assign(status, { scanning: true, count: 0, changed: 0, removed: 0, errors: [], startedAt: new Date(), finishedAt: null, libraryId: opts.libraryId ?? null });
  running.promise = (async () => {
    const started = performance.now();
    const reader = new TagReader({ workers: opts.readers });
    try {
      const libs = await librariesToScan(opts.libraryId);
      let changed = false;
      const unchanged = new Set<number>();
      for (const lib of libs) {
        await markScanStarted(lib.id);
        const r = await scanOne(lib, opts.full ?? false, reader);
        if (r.tracksChanged) changed = true;
        if (r.unchanged) unchanged.add(lib.id);
      }
      // Artists span every library: rebuilt when tracks changed here or elsewhere (a library removed).
      const tracks = await trackCount();
      if (changed || tracks !== lastBuilt.artistTracks) {
        lastBuilt.artistTracks = -1;
        await rebuildArtists();
        lastBuilt.artistTracks = tracks;
      }
      for (const lib of libs) await refreshLibraryTotals(lib.id, unchanged.has(lib.id));
      log.info({ files: status.count, changed: status.changed, removed: status.removed, ms: Math.round(performance.now() - started) }, "Scan finished");
    } catch (err) {
      recordError("", err);
      log.error({ err: (err as Error).message }, "Scan failed");
    } finally {
      await reader.close();
      closeScanConnection();
      status.scanning = false;
      status.finishedAt = new Date();
      running.promise = null;
    }
  })();
  return running.promise;
}

export { artistId };
