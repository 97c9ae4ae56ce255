import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { BoundedWorkerPool, type WorkerPoolFailure, type WorkerPoolOptions } from "./worker-pool";

/**
 * A tiny worker. `gate` (a shared Int32Array in workerData, optional) holds its loading
 * until the test opens it, then it says ready. Jobs: `echo` replies, `fail` replies with
 * an error, `spin` never returns, `throw` is an uncaught exception, `exit` ends the thread.
 */
const WORKER = `
import { parentPort, workerData } from "node:worker_threads";
if (workerData?.gate) Atomics.wait(new Int32Array(workerData.gate), 0, 0);
parentPort.on("message", (job) => {
  if (job.op === "echo") parentPort.postMessage({ id: job.id, value: job.value });
  if (job.op === "fail") parentPort.postMessage({ id: job.id, error: "no good" });
  if (job.op === "spin") for (;;);
  if (job.op === "throw") throw new Error("boom");
  if (job.op === "exit") process.exit(3);
});
parentPort.postMessage({ ready: true });
`;

const dir = mkdtempSync(path.join(tmpdir(), "tessitura-worker-pool-"));
const workerPath = path.join(dir, "worker.mjs");
writeFileSync(workerPath, WORKER);

type Req = { op: "echo"; value: string } | { op: "fail" | "spin" | "throw" | "exit" };
type Reply = { id: number; value?: string; error?: string };

/** Names each failure after its kind, so tests see which hook was asked. */
class PoolError extends Error {
  constructor(readonly failure: WorkerPoolFailure | { kind: "reply" }) {
    super(failure.kind === "error" ? `error: ${failure.error.message}` : failure.kind === "closed" ? `closed (${failure.running ? "running" : "queued"})` : failure.kind);
  }
}

const pools: BoundedWorkerPool<Req, string, Reply>[] = [];
function pool(opts: Partial<WorkerPoolOptions> = {}) {
  const p = new BoundedWorkerPool<Req, string, Reply>(
    { workerPath, workers: 1, timeoutMs: 1000, maxQueue: 4, maxHeapMb: 32, idleMs: 60_000, ...opts },
    {
      reply: (m) => (m.value !== undefined ? { value: m.value } : { error: new Error(`replied: ${m.error}`) }),
      failure: (f) => new PoolError(f),
    },
  );
  pools.push(p);
  return p;
}
const echo = (value: string): Req => ({ op: "echo", value });

afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** Only the pool's timers are faked: worker messages stay real events, and time moves when a test says. */
const fakeTimers = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });

describe("BoundedWorkerPool", () => {
  it("runs jobs in a reused worker, maps replies through the hook and adds the job id", async () => {
    const p = pool({ workers: 2 });
    expect(await Promise.all([p.run(echo("a")), p.run(echo("b")), p.run(echo("c"))])).toEqual(["a", "b", "c"]);
    await expect(p.run({ op: "fail" })).rejects.toThrow("replied: no good");
    expect(p.stats).toMatchObject({ started: 4, workersStarted: 2, crashed: 0, timedOut: 0 });
  });

  it("refuses jobs beyond its queue at once, and close fails the running and queued ones", async () => {
    const p = pool({ maxQueue: 2 });
    const running = p.run({ op: "spin" }).catch((e: PoolError) => e.message);
    const queued = [p.run(echo("1")), p.run(echo("2"))].map((j) => j.catch((e: PoolError) => e.message));
    await expect(p.run(echo("3"))).rejects.toThrow(new PoolError({ kind: "busy" }));
    expect(p.stats).toMatchObject({ busy: 1, started: 1, workersStarted: 1 });
    await p.close();
    expect(await running).toBe("closed (running)");
    expect(await Promise.all(queued)).toEqual(["closed (queued)", "closed (queued)"]);
    expect(p.workers).toBe(0);
  });

  it("terminates a job over its budget and runs the next on a replacement worker", async () => {
    fakeTimers();
    const p = pool({ timeoutMs: 500 });
    const slow = p.run({ op: "spin" });
    const next = p.run(echo("after"));
    vi.advanceTimersByTime(499);
    expect(p.stats.timedOut).toBe(0);
    vi.advanceTimersByTime(1);
    await expect(slow).rejects.toThrow(new PoolError({ kind: "timeout" }));
    expect(await next).toBe("after");
    expect(p.stats).toMatchObject({ timedOut: 1, workersStarted: 2, crashed: 0 });
  });

  it("fails a job whose worker throws or exits, and replaces the worker", async () => {
    const p = pool();
    const thrown = p.run({ op: "throw" });
    const after = p.run(echo("after throw"));
    await expect(thrown).rejects.toThrow("error: boom");
    expect(await after).toBe("after throw");
    await expect(p.run({ op: "exit" })).rejects.toThrow(new PoolError({ kind: "exit" }));
    expect(await p.run(echo("after exit"))).toBe("after exit");
    expect(p.stats).toMatchObject({ crashed: 2, workersStarted: 3 });
  });

  it("retires a worker idle for idleMs, and starts one again for the next job", async () => {
    fakeTimers();
    const p = pool({ idleMs: 5000 });
    expect(await p.run(echo("x"))).toBe("x");
    vi.advanceTimersByTime(4999);
    expect(p.workers).toBe(1);
    vi.advanceTimersByTime(1);
    expect(p.workers).toBe(0);
    expect(await p.run(echo("y"))).toBe("y");
    expect(p.stats.workersStarted).toBe(2);
  });

  it("with startBudgetOnReady, runs a job's budget from the worker's ready, not from its spawn", async () => {
    fakeTimers();
    const gate = new SharedArrayBuffer(4);
    const p = pool({ timeoutMs: 500, startBudgetOnReady: true, startupTimeoutMs: 10_000, workerData: { gate } });
    const job = p.run(echo("loaded late"));
    vi.advanceTimersByTime(5000); // ten budgets while the worker is still loading
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    expect(await job).toBe("loaded late");
    expect(p.stats.timedOut).toBe(0);
    // Once ready, the budget starts with each job.
    const slow = p.run({ op: "spin" });
    vi.advanceTimersByTime(500);
    await expect(slow).rejects.toThrow(new PoolError({ kind: "timeout" }));
  });

  it("with startBudgetOnReady, fails the job of a worker that never gets ready", async () => {
    fakeTimers();
    const p = pool({ startBudgetOnReady: true, startupTimeoutMs: 3000, workerData: { gate: new SharedArrayBuffer(4) } });
    const job = p.run(echo("never"));
    vi.advanceTimersByTime(2999);
    expect(p.workers).toBe(1);
    vi.advanceTimersByTime(1);
    await expect(job).rejects.toThrow(new PoolError({ kind: "notStarted" }));
    expect(p.stats).toMatchObject({ timedOut: 0, workersStarted: 1 });
    expect(p.workers).toBe(0);
  });
});
