// @ts-check
// A tag-reading worker (see tag-pool.ts): stats a batch of audio files and parses the new or
// changed ones with music-metadata, answering per file the parts of the metadata the scanner
// maps into a track (or the error). Plain JavaScript loaded by path, like the image and plugin workers, so it runs the
// same under vitest, the scripts and `next start`. Parsing is CPU-bound JavaScript; running
// it (and the stats) here leaves the main thread only the folder listing and the writes.

import { statSync } from "node:fs";
import path from "node:path";
import { parentPort } from "node:worker_threads";

/**
 * music-metadata, loaded on the first file that needs reading: its import is ~75 ms of a
 * worker's start, and an unchanged rescan reads no tags at all.
 * @type {Promise<typeof import("music-metadata")> | undefined}
 */
let musicMetadata;

/** Files of one batch parsed at once: overlaps their reads without crowding the heap. */
const CONCURRENCY = 8;

/**
 * What crosses back to the main thread: everything but the picture bytes (the scanner only
 * needs to know there is a picture), so replies stay small.
 * @param {import("music-metadata").IAudioMetadata} meta
 */
function slim(meta) {
  const { picture, ...common } = meta.common;
  const f = meta.format;
  return {
    common,
    pictureCount: picture?.length ?? 0,
    format: { container: f.container, duration: f.duration, bitrate: f.bitrate, sampleRate: f.sampleRate, numberOfChannels: f.numberOfChannels },
  };
}

/**
 * @typedef {{ rel: string; mtimeMs?: number; size?: number }} FileJob  what the database knows of the file, if anything
 * @typedef {{ rel: string; statError: string } | { rel: string; same: true } | { rel: string; mtimeMs: number; size: number; meta?: ReturnType<typeof slim>; error?: string }} FileResult
 */

/**
 * Stats each file (synchronously: this thread has nothing else to do, and a sync stat costs a
 * fraction of a promise round trip), and reads the tags of those that are new or changed (by
 * size and whole-millisecond modification time), or of all with `full`.
 * @param {string} root
 * @param {FileJob[]} files
 * @param {boolean} full
 */
async function scanAll(root, files, full) {
  /** @type {FileResult[]} */
  const out = new Array(files.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, files.length) }, async () => {
      while (next < files.length) {
        const i = next++;
        const f = files[i];
        const abs = path.join(root, f.rel);
        let st;
        try {
          st = statSync(abs);
        } catch (err) {
          out[i] = { rel: f.rel, statError: err instanceof Error ? err.message : String(err) };
          continue;
        }
        const mtimeMs = Math.trunc(st.mtimeMs);
        if (!full && f.mtimeMs === mtimeMs && f.size === st.size) {
          out[i] = { rel: f.rel, same: true };
          continue;
        }
        try {
          out[i] = { rel: f.rel, mtimeMs, size: st.size, meta: slim(await (await (musicMetadata ??= import("music-metadata"))).parseFile(abs, { duration: true, skipCovers: false })) };
        } catch (err) {
          out[i] = { rel: f.rel, mtimeMs, size: st.size, error: err instanceof Error ? err.message : String(err) };
        }
      }
    }),
  );
  return out;
}

const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
port.on("message", async (/** @type {{ id: number; root: string; files: FileJob[]; full: boolean }} */ job) => {
  try {
    port.postMessage({ id: job.id, results: await scanAll(job.root, job.files, job.full) });
  } catch (err) {
    port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
port.postMessage({ ready: true });
