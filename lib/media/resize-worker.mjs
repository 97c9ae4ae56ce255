// @ts-check
// An image worker: decodes and scales one cover at a time off the main thread (see
// image-pool.ts). Plain JavaScript loaded from disk by path, like the plugin engine's
// worker, so it runs the same under vitest and under `next start`.
//
// The main thread has already checked the header (format, width × height within the
// pixel bound); here we also refuse the bombs that header cannot rule out:
//   - PNGs made of millions of tiny chunks (heap and CPU, see checkPng);
//   - interlaced PNGs, which pngjs inflates without an output limit (a 30 MB stream of
//     zeros would inflate to gigabytes): we inflate once with a bound first;
//   - JPEGs with a huge number of progressive scans (each scan is a pass over every
//     coefficient, a CPU bomb in a small file).
// Anything else that goes wrong ends as an error reply, a heap overflow (resourceLimits)
// or the main thread's timeout; the pool replaces the worker in the last two cases.

import { parentPort, workerData } from "node:worker_threads";
import { inflateSync } from "node:zlib";
import { createJimp } from "@jimp/core";
import jpeg from "@jimp/js-jpeg";
import png from "@jimp/js-png";
import * as resizePlugin from "@jimp/plugin-resize";

// Pure JavaScript image codecs (no native binaries to download at install).
const Jimp = createJimp({ formats: [png, jpeg], plugins: [resizePlugin.methods] });

/** @type {{ maxPixels: number; maxJpegScans: number }} */
const limits = workerData;

/** Bytes per pixel × 8 for each PNG colour type (grey, -, RGB, palette, grey+alpha, -, RGBA). */
const PNG_CHANNELS = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Refuses PNGs split into absurdly many chunks (the decoder keeps an object per chunk on
 * its heap: 2.7 M empty IDATs fit in 32 MB and cost ~300 MB and seconds), and checks
 * that an interlaced image's data does not inflate beyond its pixels.
 * @param {Buffer} b
 */
function checkPng(b) {
  const idat = [];
  let chunks = 0;
  for (let at = 8; at + 12 <= b.length; ) {
    if (++chunks > MAX_PNG_CHUNKS) throw new Error(`more than ${MAX_PNG_CHUNKS} PNG chunks`);
    const length = b.readUInt32BE(at);
    const type = b.toString("latin1", at + 4, at + 8);
    if (type === "IDAT") idat.push(b.subarray(at + 8, at + 8 + length));
    if (type === "IEND") break;
    at += 12 + length;
  }
  if (b[28] !== 0) checkInterlacedPng(b, idat);
}

/** Legit encoders write IDATs of 8 KB or more: a 32 MB file needs a few thousand chunks. */
const MAX_PNG_CHUNKS = 100_000;

/**
 * @param {Buffer} b
 * @param {Buffer[]} idat
 */
function checkInterlacedPng(b, idat) {
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  const depth = b[24];
  const channels = PNG_CHANNELS[/** @type {0|2|3|4|6} */ (b[25])] ?? 4;
  // Adam7 passes together hold every pixel once plus one filter byte per row of each pass.
  const bound = Math.ceil((width * height * channels * depth) / 8) + 7 * (height + 1) + 7 * 8;
  inflateSync(Buffer.concat(idat), { maxOutputLength: bound }); // throws ERR_BUFFER_TOO_LARGE past the bound
}

/** @param {Buffer} b */
function checkJpegScans(b) {
  // In entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so FF DA is a real SOS.
  let scans = 0;
  for (let at = b.indexOf(0xff); at !== -1 && at + 1 < b.length; at = b.indexOf(0xff, at + 1)) {
    if (b[at + 1] === 0xda && ++scans > limits.maxJpegScans) throw new Error(`more than ${limits.maxJpegScans} JPEG scans`);
  }
}

/** @param {{ bytes: Uint8Array; type: string; size: number }} job */
async function fit(job) {
  const b = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  if (job.type === "image/png") checkPng(b);
  if (job.type === "image/jpeg") checkJpegScans(b);
  const image = await Jimp.fromBuffer(b, {
    "image/jpeg": { maxResolutionInMP: limits.maxPixels / 1e6, maxMemoryUsageInMB: Math.ceil((limits.maxPixels * 20) / 1e6) },
  });
  const { width, height } = image.bitmap;
  const scale = job.size / Math.max(width, height);
  image.resize({ w: Math.max(1, Math.round(width * scale)), h: Math.max(1, Math.round(height * scale)) });
  const out = job.type === "image/png" ? await image.getBuffer("image/png") : await image.getBuffer("image/jpeg", { quality: 85 });
  // A copy: small Buffers share a pooled ArrayBuffer, which must not be transferred away.
  return new Uint8Array(out);
}

const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
port.on("message", async (/** @type {{ id: number; bytes: Uint8Array; type: string; size: number }} */ job) => {
  try {
    const bytes = await fit(job);
    port.postMessage({ id: job.id, bytes }, [bytes.buffer]);
  } catch (err) {
    port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
