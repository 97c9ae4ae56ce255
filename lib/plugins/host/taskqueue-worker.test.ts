import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { QueueRunner, type WorkerTiming } from "./taskqueue-worker";
import { TaskStore, type DequeuedTask } from "./taskqueue-store";

/**
 * The queue worker against a real task database, with no plugin in between, so the
 * only timing in play is the worker's own wake-ups.
 */
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

interface Attempt {
  task: string;
  attempt: number;
  at: number;
}

/** A missed wake-up costs a whole poll: a minute here, so it fails a test instead of passing slowly. */
const POLL_MS = 60_000;

function queueWithRecorder(backoffMs: number, now: () => number = Date.now) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "tessitura-taskqueue-")), "taskqueue.db");
  const store = new TaskStore(file);
  const config = { concurrency: 1, maxRetries: 1, backoffMs, delayMs: 0, retentionMs: 60_000 };
  store.attachQueue("q", config, now());
  const reader = new Database(file, { readonly: true });
  const nextRunAt = reader.prepare("SELECT next_run_at AS t FROM tasks WHERE id = ?");
  const attempts: Attempt[] = [];
  const retryDueAt = new Map<string, number>();
  const settled = new Map<string, () => void>();
  const abort = new AbortController();
  const runner = new QueueRunner("q", config, store, abort.signal, {
    // Fails every first attempt, so each task is retried exactly once.
    async execute(task: DequeuedTask) {
      attempts.push({ task: task.id, attempt: task.attempt, at: now() });
      if (task.attempt === 1) throw new Error("first attempt fails");
      settled.get(task.id)?.();
      return "ok";
    },
    onFailure(task) {
      retryDueAt.set(task.id, (nextRunAt.get(task.id) as { t: number }).t);
    },
    onError(what, err) {
      throw new Error(`${what}: ${(err as Error).message}`);
    },
  }, { pollIntervalMs: POLL_MS, now } satisfies WorkerTiming);
  runner.start();
  cleanups.push(() => {
    abort.abort();
    reader.close();
    store.close(now());
  });
  let seq = 0;
  /** Enqueues one task and resolves when its second attempt ran, or rejects after `deadlineMs`. */
  const runOne = (deadlineMs: number) => {
    const id = `t${++seq}`;
    const done = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`task ${id}: retry not run within ${deadlineMs} ms (missed wake-up)`)), deadlineMs);
      settled.set(id, () => {
        clearTimeout(timer);
        resolve(id);
      });
    });
    store.insert(id, "q", new Uint8Array([1]), config.maxRetries, now());
    runner.wake.notify();
    return done;
  };
  return { runOne, attempts, retryDueAt };
}

describe("QueueRunner retry wake-ups", () => {
  it("runs every retry once its back-off has passed, even when the timer fires a fraction of a millisecond early", { timeout: 60_000 }, async () => {
    // A busy server wakes its event loop all the time (I/O, other timers, plugin calls).
    // Then a retry timer can fire on a loop turn where the monotonic timer clock has
    // reached the deadline but Date.now(), which nextRunAt is written in, is still up to
    // 1 ms short: about one timer in ten here. Each such wake-up must still run the retry.
    const noise = setInterval(() => undefined, 1);
    cleanups.push(() => clearInterval(noise));
    const backoffMs = 10;
    const { runOne, attempts, retryDueAt } = queueWithRecorder(backoffMs);
    const TASKS = 200;
    for (let i = 0; i < TASKS; i++) await runOne(20_000);

    const retries = attempts.filter((a) => a.attempt === 2);
    expect(retries).toHaveLength(TASKS);
    for (const r of retries) {
      // Never before the back-off (the lower bound is exact: same clock, same row).
      expect(r.at).toBeGreaterThanOrEqual(retryDueAt.get(r.task)!);
    }
  });

  it("wakes for a retry by the wall clock when timers run ahead of it (a slewed clock)", { timeout: 30_000 }, async () => {
    // A wall clock that gains only 0.8 ms per timer millisecond: every retry timer fires
    // before the task is due by this clock, deterministically.
    const origin = performance.now();
    const base = Date.now();
    const slow = () => base + Math.floor((performance.now() - origin) * 0.8);
    const backoffMs = 50;
    const { runOne, attempts, retryDueAt } = queueWithRecorder(backoffMs, slow);
    for (let i = 0; i < 5; i++) await runOne(10_000);
    const retries = attempts.filter((a) => a.attempt === 2);
    expect(retries).toHaveLength(5);
    for (const r of retries) expect(r.at).toBeGreaterThanOrEqual(retryDueAt.get(r.task)!);
  });
});
