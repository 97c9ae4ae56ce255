import { availableParallelism } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";

/** Why a resize job did not produce an image. Only `busy` says nothing about the image itself. */
export type ImageJobFailure = "busy" | "timeout" | "crashed" | "failed";

/** A resize job that ended without an image; the caller falls back (see resize.ts). */
export class ImageJobError extends Error {
  constructor(
    readonly reason: ImageJobFailure,
    message: string,
  ) {
    super(message);
    this.name = "ImageJobError";
  }
}

export interface ImagePoolOptions {
  /** Largest width × height the workers may decode (also enforced by jpeg-js itself). */
  maxPixels: number;
  /** Workers run in parallel (default: 1, or 2 with more than two cores, leaving a core to the server). */
  workers?: number;
  /** A job still running after this long has its worker terminated (default 20 s). */
  timeoutMs?: number;
  /** Jobs waiting for a worker beyond this many are refused at once as `busy` (default 16). */
  maxQueue?: number;
  /** V8 heap of each worker (default 320 MB: jpeg-js keeps its blocks on the heap, ~18 bytes a pixel at `maxPixels`). */
  maxHeapMb?: number;
  /** JPEGs with more scans than this are refused (progressive-scan CPU bomb; default 100). */
  maxJpegScans?: number;
  /** An idle worker is stopped after this long, returning its memory (default 30 s). */
  idleMs?: number;
}

interface Job {
  id: number;
  bytes: Uint8Array;
  type: string;
  size: number;
  resolve: (bytes: Uint8Array) => void;
  reject: (err: ImageJobError) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer?: NodeJS.Timeout;
  dead: boolean;
}

/**
 * Where the worker file is at run time: beside this module in the source tree, found from
 * the working directory (the project root under `next start`, vitest and the scripts)
 * exactly as the plugin engine finds its worker.mjs. Turbopack must not try to bundle it:
 * it is a plain ES module run by Node, importing Jimp from node_modules itself.
 */
export const RESIZE_WORKER_PATH = path.join(/* turbopackIgnore: true */ process.cwd(), "lib", "media", "resize-worker.mjs");

/**
 * A small pool of worker threads that decode and scale images, so a slow or hostile image
 * costs a worker's time and memory, never the main thread's: jobs wait in a bounded queue,
 * each runs under a timeout and heap limit, and a worker that dies (crash, out of memory,
 * timeout) is replaced for the next job while its job fails with a reason.
 */
export class ImagePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private readonly opts: Required<ImagePoolOptions>;
  /** Counters for logs and tests: jobs given to a worker, and how jobs ended badly. */
  readonly stats = { started: 0, busy: 0, timedOut: 0, crashed: 0, failed: 0, workersStarted: 0 };

  constructor(opts: ImagePoolOptions) {
    this.opts = {
      workers: availableParallelism() > 2 ? 2 : 1,
      timeoutMs: 20_000,
      maxQueue: 16,
      maxHeapMb: 320,
      maxJpegScans: 100,
      idleMs: 30_000,
      ...opts,
    };
  }

  /** The image (PNG or JPEG, `type`) scaled to fit `size`×`size`, in the same format. */
  resize(bytes: Uint8Array, type: string, size: number): Promise<Uint8Array> {
    if (this.queue.length >= this.opts.maxQueue) {
      this.stats.busy++;
      return Promise.reject(new ImageJobError("busy", "too many images waiting to be resized"));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, bytes, type, size, resolve, reject });
      this.pump();
    });
  }

  /** Stops every worker (tests; the server keeps its pool for its lifetime). */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new ImageJobError("busy", "image pool closed"));
    await Promise.all([...this.slots].map((s) => this.kill(s, new ImageJobError("crashed", "image pool closed"))));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot) {
        if (this.slots.length >= this.opts.workers) return;
        slot = this.spawn();
      }
      this.run(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(RESIZE_WORKER_PATH, {
      workerData: { maxPixels: this.opts.maxPixels, maxJpegScans: this.opts.maxJpegScans },
      resourceLimits: { maxOldGenerationSizeMb: this.opts.maxHeapMb },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { worker, job: null, dead: false };
    this.slots.push(slot);
    this.stats.workersStarted++;
    worker.on("message", (m: { id: number; bytes?: Uint8Array; error?: string }) => {
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      this.release(slot);
      if (m.bytes) job.resolve(m.bytes);
      else {
        this.stats.failed++;
        job.reject(new ImageJobError("failed", m.error ?? "image could not be resized"));
      }
      this.pump();
    });
    // `error` (an uncaught exception, ERR_WORKER_OUT_OF_MEMORY) is always followed by `exit`.
    worker.on("error", (err) => void this.kill(slot, new ImageJobError("crashed", `image worker failed: ${err.message}`)));
    worker.on("exit", () => void this.kill(slot, new ImageJobError("crashed", "image worker exited")));
    return slot;
  }

  private run(slot: Slot, job: Job): void {
    clearTimeout(slot.timer);
    slot.job = job;
    this.stats.started++;
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      this.stats.timedOut++;
      void this.kill(slot, new ImageJobError("timeout", `image not resized within ${this.opts.timeoutMs} ms`));
    }, this.opts.timeoutMs);
    // A copy (in its own ArrayBuffer) is transferred: the caller keeps the original to fall
    // back on, and a Node Buffer may be a view of a shared pool (Buffer#slice does not copy).
    const bytes = new Uint8Array(job.bytes);
    slot.worker.postMessage({ id: job.id, bytes, type: job.type, size: job.size }, [bytes.buffer]);
  }

  /** The slot's job is over: the worker may idle (not keeping the process alive) until retired. */
  private release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.job = null;
    slot.worker.unref();
    slot.timer = setTimeout(() => void this.kill(slot, null), this.opts.idleMs);
    slot.timer.unref();
  }

  /** Stops a worker (if still running) and fails its job; the next job spawns a replacement. */
  private kill(slot: Slot, err: ImageJobError | null): Promise<unknown> {
    if (slot.dead) return Promise.resolve();
    slot.dead = true;
    clearTimeout(slot.timer);
    this.slots.splice(this.slots.indexOf(slot), 1);
    const job = slot.job;
    slot.job = null;
    if (job && err) {
      if (err.reason === "crashed") this.stats.crashed++;
      job.reject(err);
    }
    const stopped = slot.worker.terminate();
    this.pump();
    return stopped;
  }
}
