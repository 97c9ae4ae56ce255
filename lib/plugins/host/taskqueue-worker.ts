import "server-only";
import type { QueueConfig, TaskStore, DequeuedTask } from "./taskqueue-store";

/** Idle workers look for due tasks this often, besides enqueue and retry signals. */
export const POLL_INTERVAL_MS = 5000;

/** The clock and poll interval queue workers run on. */
export interface WorkerTiming {
  pollIntervalMs: number;
  /** Wall-clock milliseconds: the clock `next_run_at` is written in. */
  now: () => number;
}

/**
 * Shared by every queue the task service creates. Tests lengthen the poll (to 60 s) so
 * that a missed wake-up fails them instead of passing one poll late.
 */
export const workerTiming: WorkerTiming = { pollIntervalMs: POLL_INTERVAL_MS, now: () => Date.now() };

/** Retry back-off ceiling: one hour. */
export const MAX_BACKOFF_MS = 3_600_000;

/**
 * `backoffMs × 2^(attempt−1)` computed as Go does on int64 (`backoffMs << (attempt-1)`,
 * wrapping on overflow); a result ≤ 0 or above one hour becomes one hour.
 */
export function retryBackoffMs(backoffMs: number, attempt: number): number {
  const shift = BigInt(Math.max(0, attempt - 1));
  const v = shift >= 64n ? 0n : BigInt.asIntN(64, BigInt(backoffMs) << shift);
  return v <= 0n || v > BigInt(MAX_BACKOFF_MS) ? MAX_BACKOFF_MS : Number(v);
}

/** Go's buffered(1) wake-up channel: a signal wakes one waiting worker, or is kept for the next one to wait. */
export class WakeSignal {
  private waiters: (() => void)[] = [];
  private pending = false;

  notify(): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter();
    else this.pending = true;
  }

  /** Resolves on a signal, after `ms`, or when `abort` fires. */
  wait(ms: number, abort: AbortSignal): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        abort.removeEventListener("abort", done);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref?.();
      abort.addEventListener("abort", done, { once: true });
      this.waiters.push(done);
    });
  }
}

/** `rate.NewLimiter(rate.Every(delayMs), 1)`: task starts at least `delayMs` apart across a queue's workers. */
export class StartSpacer {
  private nextAt = -Infinity;
  constructor(
    private readonly everyMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Waits for this start's slot; rejects when `abort` fires first. */
  wait(abort: AbortSignal): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + this.everyMs;
    if (at <= now) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout;
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Error("context canceled"));
      };
      // A timer may fire up to a millisecond before the wall clock reaches `at` (see
      // QueueRunner.idleWaitMs): wait out the rest rather than start early.
      const arm = () => {
        const left = at - this.now();
        if (left <= 0) {
          abort.removeEventListener("abort", onAbort);
          resolve();
        } else timer = setTimeout(arm, left);
      };
      abort.addEventListener("abort", onAbort, { once: true });
      arm();
    });
  }
}

export interface QueueHooks {
  /** Runs `nd_task_execute`; resolves with the message to store, rejects on failure. */
  execute(task: DequeuedTask): Promise<string>;
  onFailure(task: DequeuedTask, message: string, final: boolean): void;
  onError(what: string, err: unknown): void;
}

/**
 * One queue of this load: `concurrency` workers that each drain due tasks immediately,
 * on a wake signal (enqueue, retry timer) and every 5 s (contract §4.6). An idle worker
 * also wakes when the queue's earliest pending retry falls due.
 */
export class QueueRunner {
  readonly wake = new WakeSignal();
  private readonly spacer: StartSpacer | null;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private workers: Promise<void>[] = [];

  constructor(
    readonly name: string,
    readonly config: QueueConfig,
    private readonly store: TaskStore,
    private readonly abort: AbortSignal,
    private readonly hooks: QueueHooks,
    private readonly timing: WorkerTiming = workerTiming,
  ) {
    this.spacer = config.delayMs > 0 ? new StartSpacer(config.delayMs, () => timing.now()) : null;
  }

  start(): void {
    for (let i = 0; i < this.config.concurrency; i++) this.workers.push(this.work());
  }

  /** Resolves when every worker has returned (after abort). */
  stopped(): Promise<unknown> {
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    return Promise.allSettled(this.workers);
  }

  private async work(): Promise<void> {
    while (!this.abort.aborted) {
      try {
        while (!this.abort.aborted && (await this.processOne()));
      } catch (err) {
        this.hooks.onError(`processing queue ${this.name}`, err);
      }
      if (!this.abort.aborted) await this.wake.wait(this.idleWaitMs(), this.abort);
    }
  }

  /**
   * How long an idle worker sleeps: until the earliest pending task falls due, at most one
   * poll interval. The retry timer alone is not enough: Node fires a timer on the first
   * loop turn whose millisecond-truncated monotonic clock reaches the deadline, which can
   * be up to 1 ms before Date.now() reaches `next_run_at`. On a busy loop about one retry
   * timer in ten (measured) woke the worker to find nothing due yet, and the retry then
   * waited a whole poll interval (5 s late).
   */
  private idleWaitMs(): number {
    const poll = this.timing.pollIntervalMs;
    let nextRunAt: number | undefined;
    try {
      nextRunAt = this.store.nextRunAt(this.name);
    } catch (err) {
      this.hooks.onError(`reading queue ${this.name}`, err);
    }
    if (nextRunAt === undefined) return poll;
    return Math.min(poll, Math.max(1, nextRunAt - this.timing.now()));
  }

  /** Takes, runs and settles one due task; false when none was due (or on shutdown). */
  private async processOne(): Promise<boolean> {
    const task = this.store.dequeue(this.name, this.timing.now());
    if (!task) return false;
    // Spacing is applied after the dequeue so that empty polls use no slot.
    if (this.spacer) {
      try {
        await this.spacer.wait(this.abort);
      } catch {
        this.store.revert(task.id, this.timing.now());
        return false;
      }
    }
    let message = "";
    let failure: string | null = null;
    try {
      message = await this.hooks.execute(task);
    } catch (err) {
      failure = (err as Error).message;
    }
    // Interrupted by unload or shutdown: back to pending, and this attempt does not count.
    if (this.abort.aborted) {
      this.store.revert(task.id, this.timing.now());
      return false;
    }
    const now = this.timing.now();
    if (failure === null) this.store.finish(task.id, "completed", message, now);
    else if (task.attempt > task.maxRetries) {
      this.store.finish(task.id, "failed", failure, now);
      this.hooks.onFailure(task, failure, true);
    } else {
      const backoff = retryBackoffMs(this.config.backoffMs, task.attempt);
      this.store.retry(task.id, now + backoff, now);
      this.hooks.onFailure(task, failure, false);
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.wake.notify();
      }, backoff);
      timer.unref?.();
      this.retryTimers.add(timer);
    }
    return true;
  }
}
