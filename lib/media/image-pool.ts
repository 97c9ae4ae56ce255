import { availableParallelism } from "node:os";
import path from "node:path";
import { BoundedWorkerPool, type WorkerPoolFailure } from "../server/worker-pool";

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

interface ResizeJob {
  bytes: Uint8Array;
  type: string;
  size: number;
}

interface ResizeReply {
  id: number;
  bytes?: Uint8Array;
  error?: string;
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
 * timeout) is replaced for the next job while its job fails with a reason
 * (the machinery is BoundedWorkerPool's; this module owns the image protocol and errors).
 */
export class ImagePool {
  private readonly pool: BoundedWorkerPool<ResizeJob, Uint8Array, ResizeReply>;
  private failed = 0;

  constructor(opts: ImagePoolOptions) {
    const o: Required<ImagePoolOptions> = {
      workers: availableParallelism() > 2 ? 2 : 1,
      timeoutMs: 20_000,
      maxQueue: 16,
      maxHeapMb: 320,
      maxJpegScans: 100,
      idleMs: 30_000,
      ...opts,
    };
    this.pool = new BoundedWorkerPool<ResizeJob, Uint8Array, ResizeReply>(
      { ...o, workerPath: RESIZE_WORKER_PATH, workerData: { maxPixels: o.maxPixels, maxJpegScans: o.maxJpegScans } },
      {
        encode: (job) => {
          // A copy (in its own ArrayBuffer) is transferred: the caller keeps the original to fall
          // back on, and a Node Buffer may be a view of a shared pool (Buffer#slice does not copy).
          const bytes = new Uint8Array(job.bytes);
          return { payload: { bytes, type: job.type, size: job.size }, transfer: [bytes.buffer] };
        },
        reply: (m) => {
          if (m.bytes) return { value: m.bytes };
          this.failed++;
          return { error: new ImageJobError("failed", m.error ?? "image could not be resized") };
        },
        failure: (f) => imageJobError(f, o.timeoutMs),
      },
    );
  }

  /** Counters for logs and tests: jobs given to a worker, and how jobs ended badly. */
  get stats() {
    const { started, busy, timedOut, crashed, workersStarted } = this.pool.stats;
    return { started, busy, timedOut, crashed, failed: this.failed, workersStarted };
  }

  /** The image (PNG or JPEG, `type`) scaled to fit `size`×`size`, in the same format. */
  resize(bytes: Uint8Array, type: string, size: number): Promise<Uint8Array> {
    return this.pool.run({ bytes, type, size });
  }

  /** Stops every worker (tests; the server keeps its pool for its lifetime). */
  close(): Promise<void> {
    return this.pool.close();
  }
}

function imageJobError(f: WorkerPoolFailure, timeoutMs: number): ImageJobError {
  switch (f.kind) {
    case "busy":
      return new ImageJobError("busy", "too many images waiting to be resized");
    case "timeout":
      return new ImageJobError("timeout", `image not resized within ${timeoutMs} ms`);
    case "error":
      return new ImageJobError("crashed", `image worker failed: ${f.error.message}`);
    case "closed":
      return f.running ? new ImageJobError("crashed", "image pool closed") : new ImageJobError("busy", "image pool closed");
    case "exit":
    case "notStarted": // no ready handshake here: a worker only ends without replying by exiting
      return new ImageJobError("crashed", "image worker exited");
  }
}
