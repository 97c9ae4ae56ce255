// Finding 7 ("Trust the sandbox"): one cover stalls everyone. A 62 KB PNG whose header says
// 8000×8000 was decoded and scaled on the main thread (3.8 s, 950 MB), stalling every other
// request, and again for each distinct `size`. Covers are now checked by header first,
// scaled in a worker pool, bucketed by size and cached with single flight.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { writeDemoLibrary } from "../media/demo-library";
import jpeg from "@jimp/js-jpeg";
import { ImageJobError, ImagePool } from "../media/image-pool";
import { imagePool, MAX_DECODE_PIXELS, MAX_IMAGE_BYTES } from "../media/resize";
import { startScan } from "../scanner/scanner";
import { forget, remember } from "../server/remember";
import { handleSubsonic } from "../subsonic/dispatch";
import { bootTestServer } from "../testing/boot-test-server";
import { serveHandler } from "../testing/serve-handler";

let url = "";
let close: () => Promise<void>;
let libraryPath = "";
const q = (params: Record<string, string>) => new URLSearchParams({ u: "admin", p: "admin-pass", v: "1.16.1", c: "test", f: "json", ...params });

const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** An 8-bit greyscale PNG with the given IDAT chunks (default: one colour, which compresses ~1000:1). */
function png(width: number, height: number, idat?: Buffer[]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const data = idat ?? [deflateSync(Buffer.alloc((width + 1) * height))];
  return Buffer.concat([PNG_SIGNATURE, chunk("IHDR", ihdr), ...data.map((d) => chunk("IDAT", d)), chunk("IEND", Buffer.alloc(0))]);
}

/** An album whose folder cover is `bytes`, written into the library; answers its cover art id. */
async function albumWithCover(file: string, bytes: Buffer): Promise<string> {
  const base = await db().album.findFirstOrThrow({ where: { name: "Pure Tones" } });
  writeFileSync(path.join(libraryPath, file), bytes);
  const id = `cover-test-${file}`;
  await db().album.create({ data: { id, libraryId: base.libraryId, name: file, albumArtistId: base.albumArtistId, coverArtPath: file } });
  return `al-${id}`;
}

const cover = async (id: string, size?: number) => {
  const r = await fetch(`${url}/rest/getCoverArt?${q({ id, ...(size ? { size: String(size) } : {}) })}`);
  return { status: r.status, type: r.headers.get("content-type"), bytes: Buffer.from(await r.arrayBuffer()) };
};
const dims = (b: Buffer) => [b.readUInt32BE(16), b.readUInt32BE(20)]; // PNG IHDR width, height

/** Latencies of pings sent one after another until `work` settles (at least `min` of them). */
async function pingsDuring(work: Promise<unknown>, min = 10): Promise<number[]> {
  let done = false;
  void work.finally(() => (done = true)).catch(() => {});
  const samples: number[] = [];
  while (!done || samples.length < min) {
    const t = performance.now();
    const r = await fetch(`${url}/rest/ping?${q({})}`);
    expect((await r.json())["subsonic-response"].status).toBe("ok");
    samples.push(performance.now() - t);
  }
  return samples;
}
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.99) - 1];

beforeAll(async () => {
  const { config } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  writeDemoLibrary(config.resolved.musicFolder, { seconds: 1 });
  await startScan();
  libraryPath = (await db().library.findFirstOrThrow()).path;
  ({ url, close } = await serveHandler(handleSubsonic));
  // A first ping, so that route loading is not counted as latency below.
  await fetch(`${url}/rest/ping?${q({})}`);
});
afterAll(() => close());

describe("covers cannot stall the server", () => {
  it("answers an 8000×8000 PNG from its header, without decoding it, while pings stay fast", async () => {
    const bomb = png(8000, 8000);
    expect(bomb.length).toBeLessThan(100_000);
    const id = await albumWithCover("bomb.png", bomb);
    const started = imagePool().stats.started;
    const answer = cover(id, 300);
    const latencies = await pingsDuring(answer);
    const r = await answer;
    expect(r.status).toBe(200);
    expect(r.type).toBe("image/png");
    expect(r.bytes.equals(bomb)).toBe(true); // served as stored, as Navidrome does when it cannot resize
    expect(imagePool().stats.started).toBe(started); // refused before any decoding
    expect(p99(latencies)).toBeLessThan(200);
  });

  it("scales a large allowed image in a worker while the main thread keeps answering", async () => {
    expect(4000 * 3000).toBeLessThan(MAX_DECODE_PIXELS);
    const id = await albumWithCover("large.png", png(4000, 3000));
    const answer = cover(id, 256);
    const latencies = await pingsDuring(answer);
    const r = await answer;
    expect(r.status).toBe(200);
    expect(dims(r.bytes)).toEqual([256, 192]);
    expect(p99(latencies)).toBeLessThan(200);
  });

  it("serves every size from its bucket, decoding once per bucket, once for concurrent requests", async () => {
    const id = await albumWithCover("buckets.png", png(1000, 1000));
    const started = imagePool().stats.started;
    const burst = await Promise.all([300, 300, 400, 300, 512].map((size) => cover(id, size)));
    for (const r of burst) expect(dims(r.bytes)).toEqual([512, 512]);
    expect(imagePool().stats.started).toBe(started + 1);
    expect(dims((await cover(id, 450)).bytes)).toEqual([512, 512]);
    expect(dims((await cover(id, 100)).bytes)).toEqual([128, 128]);
    expect(dims((await cover(id, 5000)).bytes)).toEqual([1000, 1000]); // above the largest bucket (2048), never enlarged
    expect(imagePool().stats.started).toBe(started + 2);
  });

  it("answers a corrupt image with the stored bytes, not a 500, and keeps scaling others", async () => {
    const corrupt = png(100, 100, [Buffer.from("definitely not zlib data")]);
    const noFrame = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xda, 0x00, 0x02]);
    for (const [file, bytes, type] of [["corrupt.png", corrupt, "image/png"], ["noframe.jpg", noFrame, "image/jpeg"]] as const) {
      const r = await cover(await albumWithCover(file, bytes), 64);
      expect(r.status, file).toBe(200);
      expect(r.type, file).toBe(type);
      expect(r.bytes.equals(bytes), file).toBe(true);
    }
    const r = await cover(await albumWithCover("fine.png", png(300, 300)), 64);
    expect(dims(r.bytes)).toEqual([64, 64]);
  });

  it("does not read a cover file over the input size bound", async () => {
    const huge = Buffer.concat([png(100, 100), Buffer.alloc(MAX_IMAGE_BYTES)]);
    const r = await cover(await albumWithCover("huge-file.png", huge), 64);
    expect(JSON.parse(r.bytes.toString())["subsonic-response"].error).toMatchObject({ code: 70 });
  });

  it("refuses an interlaced PNG whose data inflates far beyond its pixels (decompression bomb)", async () => {
    const ihdrInterlaced = (b: Buffer) => {
      b[28] = 1; // Adam7
      b.writeUInt32BE(crc32(b.subarray(12, 29)), 29);
      return b;
    };
    // 100×100 pixels, but 64 MB of inflated data (pngjs inflates interlaced images without a bound).
    const bomb = ihdrInterlaced(png(100, 100, [deflateSync(Buffer.alloc(64 * 1024 * 1024))]));
    const failed = imagePool().stats.failed;
    const r = await cover(await albumWithCover("interlaced-bomb.png", bomb), 64);
    expect(r.status).toBe(200);
    expect(r.bytes.equals(bomb)).toBe(true);
    expect(imagePool().stats.failed).toBe(failed + 1);
  });
});

describe("the image pool", () => {
  /** A grey JPEG: jpeg-js keeps ~18 bytes a pixel on its JS heap while decoding. */
  const greyJpeg = (side: number) => Buffer.from(jpeg().encode({ data: Buffer.alloc(side * side * 4, 128), width: side, height: side }, { quality: 50 }));
  /** A worker heap too small for a 2000×2000 JPEG (~70 MB): decoding it runs the worker out of memory. */
  const smallHeap = { maxPixels: MAX_DECODE_PIXELS, maxHeapMb: 24, workers: 1 };

  it("replaces a worker that ran out of memory; the job fails with a reason, the next one works", async () => {
    const pool = new ImagePool(smallHeap);
    try {
      const crash = await pool.resize(greyJpeg(2000), "image/jpeg", 64).catch((e: unknown) => e);
      expect(crash).toBeInstanceOf(ImageJobError);
      expect((crash as ImageJobError).reason).toBe("crashed");
      const next = Buffer.from(await pool.resize(png(200, 200), "image/png", 64));
      expect(dims(next)).toEqual([64, 64]);
      expect(pool.stats).toMatchObject({ crashed: 1, workersStarted: 2 });
    } finally {
      await pool.close();
    }
  });

  it("stops a job that runs too long and refuses jobs beyond its queue", async () => {
    const pool = new ImagePool({ maxPixels: MAX_DECODE_PIXELS, timeoutMs: 1, maxQueue: 1, workers: 1 });
    try {
      const big = png(4000, 3000);
      const jobs = [0, 1, 2].map(() => pool.resize(big, "image/png", 64).catch((e: unknown) => (e as ImageJobError).reason));
      expect(await Promise.all(jobs)).toEqual(["timeout", "timeout", "busy"]);
    } finally {
      await pool.close();
    }
  });

  it("answers a crash over HTTP with the stored image, and the next request is scaled by a new worker", async () => {
    await imagePool().close();
    forget("imagePool");
    remember("imagePool", () => new ImagePool(smallHeap));
    try {
      const bomb = greyJpeg(2000);
      const r = await cover(await albumWithCover("oom.jpg", bomb), 64);
      expect(r.status).toBe(200);
      expect(r.type).toBe("image/jpeg");
      expect(r.bytes.equals(bomb)).toBe(true);
      expect(dims((await cover(await albumWithCover("after-crash.png", png(300, 300)), 64)).bytes)).toEqual([64, 64]);
      expect(imagePool().stats).toMatchObject({ crashed: 1, workersStarted: 2 });
    } finally {
      await imagePool().close();
      forget("imagePool");
    }
  });

  it("refuses a PNG made of millions of tiny chunks without spending a worker's heap on it", async () => {
    const valid = png(100, 100);
    const empty = chunk("IDAT", Buffer.alloc(0));
    const bomb = Buffer.concat([valid.subarray(0, 33), Buffer.alloc(2_700_000 * empty.length).fill(empty), valid.subarray(33)]);
    expect(bomb.length).toBeLessThan(MAX_IMAGE_BYTES);
    const failed = imagePool().stats.failed;
    const r = await cover(await albumWithCover("chunk-bomb.png", bomb), 64);
    expect(r.status).toBe(200);
    expect(r.bytes.equals(bomb)).toBe(true);
    expect(imagePool().stats).toMatchObject({ failed: failed + 1, crashed: 0 });
  });
});
