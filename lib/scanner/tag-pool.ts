import { availableParallelism } from "node:os";
import path from "node:path";
import { BoundedWorkerPool, type WorkerPoolFailure } from "../server/worker-pool";
import type { TagMetadata } from "./tags";

/** Where the worker file is at run time (found from the project root, as image-pool.ts finds its worker). */
export const TAG_WORKER_PATH = path.join(/* turbopackIgnore: true */ process.cwd(), "lib", "scanner", "tag-worker.mjs");

/** A file to look at, with what the database knows of it (nothing for a new file). */
export interface FileJob {
  rel: string;
  mtimeMs?: number;
  size?: number;
}

/** What became of a file: not found (stat failed), unchanged, or read (its tags, or why not). */
export type FileResult =
  | { rel: string; statError: string }
  | { rel: string; same: true }
  | { rel: string; mtimeMs: number; size: number; meta?: TagMetadata; error?: string };

interface Job {
  root: string;
  files: FileJob[];
  full: boolean;
}

interface Reply {
  id?: number;
  results?: FileResult[];
  error?: string;
}

/**
 * Tag workers for one scan (music-metadata parsing is CPU-bound JavaScript, about 0.3 ms a
 * small file): files go in batches so a message carries many answers, and the workers also
 * stat them, so an unchanged file costs the main thread nothing but its name. Default: one
 * worker per core, up to four, and at least two where there are two cores: a worker waits
 * idle from posting its answer until the main thread takes it and hands it the next batch,
 * and the main thread is busy in 500-row write transactions part of the time, so with a
 * single worker a 30 000-track scan took 2.5× its tag reading, with two 1.26× (same run).
 * A batch that dies (a parser stuck in a loop until the time budget, a crash) is retried file
 * by file, so only the culprit fails.
 */
export class TagReader {
  private readonly pool: BoundedWorkerPool<Job, FileResult[], Reply>;
  readonly workers: number;

  constructor(opts: { workers?: number; timeoutMs?: number } = {}) {
    this.workers = Math.max(1, opts.workers ?? Math.min(4, availableParallelism()));
    this.pool = new BoundedWorkerPool<Job, FileResult[], Reply>(
      { workerPath: TAG_WORKER_PATH, workers: this.workers, timeoutMs: opts.timeoutMs ?? 60_000, maxQueue: 1024, maxHeapMb: 256, idleMs: 10_000, startBudgetOnReady: true },
      {
        reply: (m) => (m.results ? { value: m.results } : { error: new Error(m.error ?? "tag worker failed") }),
        failure: (f) => new Error(failureText(f)),
      },
    );
  }

  /**
   * Each file (relative to `root`) stat'ed, and read unless its size and modification time
   * are the ones given (every file with `full`), in order.
   */
  async scan(root: string, files: FileJob[], full: boolean): Promise<FileResult[]> {
    try {
      return await this.pool.run({ root, files, full });
    } catch (err) {
      if (files.length === 1) return [{ rel: files[0].rel, mtimeMs: files[0].mtimeMs ?? 0, size: files[0].size ?? 0, error: (err as Error).message }];
      return (await Promise.all(files.map((f) => this.scan(root, [f], full)))).flat();
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function failureText(f: WorkerPoolFailure): string {
  switch (f.kind) {
    case "timeout":
      return "tags not read in time";
    case "error":
      return `tag worker failed: ${f.error.message}`;
    default:
      return `tag worker stopped (${f.kind})`;
  }
}
