import { createHash } from "node:crypto";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { AppError } from "../errors";
import { remember } from "../server/remember";
import type { ConfigFieldError } from "./config-schema";
import { checkConfigValueLimits, checkSchemaLimits, SchemaLimitError, type SchemaCost } from "./schema-limits";

/**
 * Where the worker file is at run time, found from the working directory (the project
 * root under `next start`, vitest and the scripts) as the image pool finds its worker.
 * Turbopack must not bundle it: it is a plain ES module run by Node, importing ajv from
 * node_modules itself.
 */
export const CONFIG_VALIDATION_WORKER_PATH = path.join(/* turbopackIgnore: true */ process.cwd(), "lib", "plugins", "config-validation-worker.mjs");

export interface ConfigValidationPoolOptions {
  /** A validation still running after this long has its worker terminated (default 1 s). */
  timeoutMs?: number;
  /** V8 heap of the worker (default 128 MB: ajv with `allErrors` keeps every error of a big config). */
  maxHeapMb?: number;
  /** Validations waiting beyond this many are refused at once (default 16). */
  maxQueue?: number;
  /** An idle worker is stopped after this long, returning its memory (default 60 s). */
  idleMs?: number;
}

interface Job {
  id: number;
  hash: string;
  schema: Record<string, unknown>;
  config: unknown;
  resolve: (errors: ConfigFieldError[]) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer?: NodeJS.Timeout;
  /** The worker has loaded: a job's budget runs from max(ready, posted). */
  ready: boolean;
  dead: boolean;
}

/** A worker that has not loaded ajv after this long is broken, not busy. */
const STARTUP_TIMEOUT_MS = 10_000;

/**
 * Validates plugin configs in one worker thread, one at a time, each under a time budget
 * and a heap limit: the static limits of schema-limits.ts bound everything except regex
 * backtracking, which grows polynomially with the length of a matched string. A worker
 * that overruns its budget or dies is terminated and replaced for the next validation,
 * whose refusal is a `SchemaLimitError` naming the budget.
 */
export class ConfigValidationPool {
  private slot: Slot | null = null;
  private readonly queue: Job[] = [];
  private nextId = 1;
  private readonly opts: Required<ConfigValidationPoolOptions>;
  /** Schema hash → static cost, most recently used last (checkSchemaLimits walks the whole graph). */
  private readonly costs = new Map<string, SchemaCost>();
  /** Counters for logs and tests. */
  readonly stats = { validated: 0, timedOut: 0, crashed: 0, workersStarted: 0 };

  constructor(opts: ConfigValidationPoolOptions = {}) {
    this.opts = { timeoutMs: 1000, maxHeapMb: 128, maxQueue: 16, idleMs: 60_000, ...opts };
  }

  /**
   * The leaf errors of validating `config` against `schema` (none when valid). Throws
   * `SchemaLimitError` when the schema or config is over a static limit, or validation
   * overruns the time budget or heap; `AppError` UNAVAILABLE when too many are waiting.
   */
  async validate(schema: Record<string, unknown>, config: unknown): Promise<ConfigFieldError[]> {
    const hash = createHash("sha256").update(JSON.stringify(schema)).digest("hex");
    let cost = this.costs.get(hash);
    if (cost) this.costs.delete(hash);
    else cost = checkSchemaLimits(schema);
    this.costs.set(hash, cost);
    if (this.costs.size > 64) this.costs.delete(this.costs.keys().next().value!);
    checkConfigValueLimits(config, cost);
    if (this.queue.length >= this.opts.maxQueue) throw new AppError("UNAVAILABLE", "too many plugin configs waiting to be validated; try again");
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, hash, schema, config, resolve, reject });
      this.pump();
    });
  }

  /** Stops the worker (tests and the CLI; the server keeps its pool for its lifetime). */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new Error("config validation pool closed"));
    if (this.slot) await this.kill(this.slot, new Error("config validation pool closed"));
  }

  private pump(): void {
    if (this.queue.length === 0 || this.slot?.job) return;
    this.run(this.slot ?? this.spawn(), this.queue.shift()!);
  }

  private spawn(): Slot {
    const worker = new Worker(CONFIG_VALIDATION_WORKER_PATH, {
      resourceLimits: { maxOldGenerationSizeMb: this.opts.maxHeapMb },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { worker, job: null, ready: false, dead: false };
    this.slot = slot;
    this.stats.workersStarted++;
    worker.on("message", (m: { id: number; ready?: true; errors?: ConfigFieldError[]; error?: string }) => {
      if (m.ready) {
        slot.ready = true;
        if (slot.job) this.startBudget(slot);
        return;
      }
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      this.release(slot);
      this.stats.validated++;
      if (m.errors) job.resolve(m.errors);
      else job.reject(new Error(`validating config: ${m.error}`));
      this.pump();
    });
    // `error` (an uncaught exception, ERR_WORKER_OUT_OF_MEMORY) is always followed by `exit`.
    worker.on("error", (err: Error & { code?: string }) => {
      this.stats.crashed++;
      const outOfMemory = err.code === "ERR_WORKER_OUT_OF_MEMORY";
      void this.kill(slot, outOfMemory ? new SchemaLimitError(`validating config: needed more than ${this.opts.maxHeapMb} MB of memory`) : new Error(`config validation worker failed: ${err.message}`));
    });
    worker.on("exit", () => void this.kill(slot, new Error("config validation worker exited")));
    return slot;
  }

  private run(slot: Slot, job: Job): void {
    clearTimeout(slot.timer);
    slot.job = job;
    slot.worker.ref();
    if (slot.ready) this.startBudget(slot);
    else slot.timer = setTimeout(() => void this.kill(slot, new Error("config validation worker did not start")), STARTUP_TIMEOUT_MS);
    slot.worker.postMessage({ id: job.id, hash: job.hash, schema: job.schema, config: job.config });
  }

  private startBudget(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      this.stats.timedOut++;
      const budget = this.opts.timeoutMs % 1000 === 0 ? `${this.opts.timeoutMs / 1000}s` : `${this.opts.timeoutMs}ms`;
      void this.kill(slot, new SchemaLimitError(`validating config: took longer than ${budget} (the plugin's config schema may contain a slow pattern)`));
    }, this.opts.timeoutMs);
  }

  /** The job is over: the worker may idle (not keeping the process alive) until retired. */
  private release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.job = null;
    slot.worker.unref();
    slot.timer = setTimeout(() => void this.kill(slot, null), this.opts.idleMs);
    slot.timer.unref();
  }

  /** Stops the worker (if still running) and fails its job; the next job spawns a replacement. */
  private kill(slot: Slot, err: Error | null): Promise<unknown> {
    if (slot.dead) return Promise.resolve();
    slot.dead = true;
    clearTimeout(slot.timer);
    if (this.slot === slot) this.slot = null;
    const job = slot.job;
    slot.job = null;
    if (job && err) job.reject(err);
    const stopped = slot.worker.terminate();
    this.pump();
    return stopped;
  }
}

/** The process-wide pool (one per process, whichever bundle asks first). */
export function configValidationPool(): ConfigValidationPool {
  return remember("configValidationPool", () => new ConfigValidationPool());
}

/**
 * Validates a config someone entered (API save, CLI) against a plugin's schema, off the
 * main thread within the pool's time budget: see `ConfigValidationPool.validate`.
 */
export function validateConfigOffThread(schema: Record<string, unknown>, config: unknown): Promise<ConfigFieldError[]> {
  return configValidationPool().validate(schema, config);
}
