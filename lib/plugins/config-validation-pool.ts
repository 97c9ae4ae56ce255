import { createHash } from "node:crypto";
import path from "node:path";
import { AppError } from "../errors";
import { remember } from "../server/remember";
import { BoundedWorkerPool, type WorkerPoolFailure } from "../server/worker-pool";
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

interface ValidationJob {
  hash: string;
  schema: Record<string, unknown>;
  config: unknown;
}

interface ValidationReply {
  id: number;
  errors?: ConfigFieldError[];
  error?: string;
}

/** A worker that has not loaded ajv after this long is broken, not busy. */
const STARTUP_TIMEOUT_MS = 10_000;

/**
 * Validates plugin configs in one worker thread, one at a time, each under a time budget
 * and a heap limit: the static limits of schema-limits.ts bound everything except regex
 * backtracking, which grows polynomially with the length of a matched string. A worker
 * that overruns its budget or dies is terminated and replaced for the next validation,
 * whose refusal is a `SchemaLimitError` naming the budget. The budget runs from when the
 * worker has loaded ajv (a ready handshake), not from the spawn. The machinery is
 * BoundedWorkerPool's; this module owns the static limits, the protocol and the errors.
 */
export class ConfigValidationPool {
  private readonly pool: BoundedWorkerPool<ValidationJob, ConfigFieldError[], ValidationReply>;
  /** Schema hash → static cost, most recently used last (checkSchemaLimits walks the whole graph). */
  private readonly costs = new Map<string, SchemaCost>();
  private validated = 0;

  constructor(opts: ConfigValidationPoolOptions = {}) {
    const o: Required<ConfigValidationPoolOptions> = { timeoutMs: 1000, maxHeapMb: 128, maxQueue: 16, idleMs: 60_000, ...opts };
    this.pool = new BoundedWorkerPool<ValidationJob, ConfigFieldError[], ValidationReply>(
      { ...o, workerPath: CONFIG_VALIDATION_WORKER_PATH, workers: 1, startBudgetOnReady: true, startupTimeoutMs: STARTUP_TIMEOUT_MS },
      {
        reply: (m) => {
          this.validated++;
          return m.errors ? { value: m.errors } : { error: new Error(`validating config: ${m.error}`) };
        },
        failure: (f) => validationError(f, o),
      },
    );
  }

  /** Counters for logs and tests. */
  get stats() {
    const { timedOut, crashed, workersStarted } = this.pool.stats;
    return { validated: this.validated, timedOut, crashed, workersStarted };
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
    return this.pool.run({ hash, schema, config });
  }

  /** Stops the worker (tests and the CLI; the server keeps its pool for its lifetime). */
  close(): Promise<void> {
    return this.pool.close();
  }
}

function validationError(f: WorkerPoolFailure, o: Required<ConfigValidationPoolOptions>): Error {
  switch (f.kind) {
    case "busy":
      return new AppError("UNAVAILABLE", "too many plugin configs waiting to be validated; try again");
    case "timeout": {
      const budget = o.timeoutMs % 1000 === 0 ? `${o.timeoutMs / 1000}s` : `${o.timeoutMs}ms`;
      return new SchemaLimitError(`validating config: took longer than ${budget} (the plugin's config schema may contain a slow pattern)`);
    }
    case "notStarted":
      return new Error("config validation worker did not start");
    case "error":
      return f.error.code === "ERR_WORKER_OUT_OF_MEMORY"
        ? new SchemaLimitError(`validating config: needed more than ${o.maxHeapMb} MB of memory`)
        : new Error(`config validation worker failed: ${f.error.message}`);
    case "exit":
      return new Error("config validation worker exited");
    case "closed":
      return new Error("config validation pool closed");
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
