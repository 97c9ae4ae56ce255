import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bootWithPlugins, callHost as callHostVia, pluginLines, waitFor } from "../../testing/background-plugins";
import type { PluginManager } from "../manager";
import { queueConfigWithDefaults, type TaskQueueStatus } from "./taskqueue";
import { POLL_INTERVAL_MS, retryBackoffMs, StartSpacer, WakeSignal, workerTiming } from "./taskqueue-worker";

const ID = "test-taskqueue";
let manager: PluginManager;
let dataFolder: string;

const b64 = (s: string) => Buffer.from(s).toString("base64");
const callHost = (fn: string, request: object | string) => callHostVia(manager, ID, "nd_test_taskqueue", fn, request);
const createQueue = (name: string, config: object = {}) => callHost("task_createqueue", { name, config });
const enqueue = async (queueName: string, payload: string) => (JSON.parse(await callHost("task_enqueue", { queueName, payload: b64(payload) })) as { result: string }).result;
const getTask = async (taskId: string) => JSON.parse(await callHost("task_get", { taskId })) as { result: { status: string; message: string; attempt: number } };
const executions = () => manager.activity(ID).recentLines().filter((l) => l.message.startsWith("execute "));
const executionsOf = (taskId: string) => executions().filter((l) => l.message.includes(`"taskId":"${taskId}"`));
const status = () => manager.loadedPlugin(ID)!.background().taskqueue as TaskQueueStatus;
const waitStatus = (taskId: string, s: string, ms = 15_000) => waitFor(async () => (await getTask(taskId)).result.status === s, ms, `task ${taskId} ${s}`);
/** A fresh load: no queues, no budget used (tasks on disk stay). */
const reload = async () => {
  await manager.disable(ID);
  await manager.enable(ID);
};

/** Resolves once every pending callback and I/O event has run: an event, not a clock. */
const settle = () => new Promise((r) => setImmediate(r));

beforeAll(async () => {
  // Nothing here may rely on the idle poll: a missed wake-up then costs a minute and fails
  // the test's deadline, instead of passing 5 s late.
  workerTiming.pollIntervalMs = 60_000;
  ({ manager, dataFolder } = await bootWithPlugins([ID], { ND_PLUGINS_CALLTIMEOUT: "3s" }));
  await manager.enable(ID);
});
afterAll(() => {
  workerTiming.pollIntervalMs = POLL_INTERVAL_MS;
});
beforeEach(reload);

describe("task_createqueue", () => {
  it("creates once per load and validates the name", async () => {
    expect(await createQueue("q")).toBe("{}");
    expect(await createQueue("q")).toBe('{"error":"queue \\"q\\" already exists"}');
    expect(await createQueue("")).toBe('{"error":"queue name cannot be empty"}');
    expect(await createQueue("é".repeat(65))).toBe('{"error":"queue name exceeds maximum length of 128 bytes"}');
    await reload();
    expect(await createQueue("q")).toBe("{}");
  });

  it("shares the manifest's maxConcurrency budget: clamps, then reports it exhausted before 'already exists'", async () => {
    expect(await createQueue("a", { concurrency: 6 })).toBe("{}");
    expect(await createQueue("b", { concurrency: 8 })).toBe("{}");
    expect(status().queues.find((q) => q.queue === "b")!.config!.concurrency).toBe(4);
    expect(await createQueue("c")).toBe('{"error":"concurrency budget exhausted (10/10 allocated)"}');
    expect(await createQueue("a")).toBe('{"error":"concurrency budget exhausted (10/10 allocated)"}');
    expect(status()).toMatchObject({ maxConcurrency: 10, allocated: 10 });
  });

  it("applies defaults and clamps retention", () => {
    expect(queueConfigWithDefaults({ concurrency: 0, maxRetries: -1, backoffMs: 0, delayMs: -5, retentionMs: 0 })).toEqual({
      concurrency: 1,
      maxRetries: -1,
      backoffMs: 1000,
      delayMs: -5,
      retentionMs: 3_600_000,
    });
    expect(queueConfigWithDefaults({ concurrency: 2, maxRetries: 0, backoffMs: 5, delayMs: 0, retentionMs: 10 }).retentionMs).toBe(60_000);
    expect(queueConfigWithDefaults({ concurrency: 2, maxRetries: 0, backoffMs: 5, delayMs: 0, retentionMs: 1e12 }).retentionMs).toBe(604_800_000);
  });

  it("answers a config of the wrong type with Go's decoder error", async () => {
    expect(await callHost("task_createqueue", '{"name":"x","config":{"concurrency":"2"}}')).toBe(
      '{"error":"json: cannot unmarshal string into Go struct field TaskCreateQueueRequest.config.concurrency of type int32"}',
    );
  });
});

describe("task_enqueue and nd_task_execute", () => {
  it("runs a task once with the exact request and stores its JSON-string result", async () => {
    await createQueue("work");
    const id = await enqueue("work", "hello");
    expect(id).toMatch(/^[0-9A-Za-z]{22}$/);
    await waitStatus(id, "completed");
    expect(await callHost("task_get", { taskId: id })).toBe('{"result":{"status":"completed","message":"done hello #1","attempt":1}}');
    expect(executionsOf(id).map((l) => l.message)).toEqual([`execute {"queueName":"work","taskId":"${id}","payload":"aGVsbG8=","attempt":1}`]);
  });

  it("rejects unknown queues and payloads over 1 MiB", async () => {
    expect(await callHost("task_enqueue", { queueName: "nope", payload: b64("x") })).toBe('{"error":"queue \\"nope\\" does not exist"}');
    await createQueue("work");
    const big = Buffer.alloc(1024 * 1024 + 1, 97).toString("base64");
    expect(await callHost("task_enqueue", { queueName: "work", payload: big })).toBe('{"error":"payload size 1048577 exceeds maximum of 1048576 bytes"}');
  });

  it("retries with doubling back-off, then fails with the error text after maxRetries+1 attempts", async () => {
    await createQueue("retry", { maxRetries: 2, backoffMs: 150 });
    const id = await enqueue("retry", "fail");
    await waitStatus(id, "failed");
    expect(await callHost("task_get", { taskId: id })).toBe('{"result":{"status":"failed","message":"plugin call failed: task failed: fail","attempt":3}}');
    const times = executionsOf(id).map((l) => Date.parse(l.at));
    expect(executionsOf(id).map((l) => JSON.parse(l.message.slice(8)).attempt)).toEqual([1, 2, 3]);
    const [gap1, gap2] = [times[1] - times[0], times[2] - times[1]];
    // Exact lower bounds: an attempt logs before its failure sets next_run_at = failure +
    // back-off, and the next one is not taken before that. The upper bounds only have to
    // catch a missed wake-up (a whole poll interval); load can delay a retry, never advance it.
    expect(gap1).toBeGreaterThanOrEqual(150);
    expect(gap1).toBeLessThan(5000);
    expect(gap2).toBeGreaterThanOrEqual(300);
    expect(gap2).toBeLessThan(5000);
    expect(status().recentFailures[0]).toMatchObject({ id, queue: "retry", attempt: 3, message: "plugin call failed: task failed: fail" });
  });

  it("succeeds on the retry of fail-then-succeed", async () => {
    await createQueue("retry", { maxRetries: 1, backoffMs: 10 });
    const id = await enqueue("retry", "fail-then-succeed");
    await waitStatus(id, "completed");
    expect((await getTask(id)).result).toEqual({ status: "completed", message: "done fail-then-succeed #2", attempt: 2 });
  });

  it("fails output that is not a JSON string, and accepts empty output", async () => {
    await createQueue("shapes");
    const bad = await enqueue("shapes", "object-output");
    const empty = await enqueue("shapes", "no-output");
    await waitStatus(bad, "failed");
    await waitStatus(empty, "completed");
    expect((await getTask(bad)).result.message).toBe("json: cannot unmarshal object into Go value of type string");
    expect(await callHost("task_get", { taskId: empty })).toBe('{"result":{"status":"completed","message":"","attempt":1}}');
  });

  it("spaces task starts by delayMs across the queue's workers", async () => {
    await createQueue("spaced", { concurrency: 3, delayMs: 200 });
    const t0 = Date.now();
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await enqueue("spaced", `s${i}`));
    for (const id of ids) await waitStatus(id, "completed");
    const starts = ids.map((id) => Date.parse(executionsOf(id)[0].at)).sort((a, b) => a - b);
    // Start slots are t0 + k·200 at the earliest, and a start never precedes its slot. A
    // late start (load) can shrink the gap to the next one, so gaps are not the invariant.
    for (let k = 1; k < starts.length; k++) expect(starts[k] - t0).toBeGreaterThanOrEqual(200 * k);
  });
});

describe("task_get, task_cancel, task_clearqueue", () => {
  it("cancels only pending tasks and clears the rest of a queue", async () => {
    // One worker and a 60 s spacing: the first task runs, the second waits (already
    // running) for its slot, the others stay pending.
    await createQueue("held", { delayMs: 60_000 });
    const [first, second, third, fourth, fifth] = [await enqueue("held", "a"), await enqueue("held", "b"), await enqueue("held", "c"), await enqueue("held", "d"), await enqueue("held", "e")];
    await waitStatus(first, "completed");
    await waitStatus(second, "running");
    expect(await callHost("task_cancel", { taskId: third })).toBe("{}");
    expect((await getTask(third)).result).toEqual({ status: "cancelled", message: "", attempt: 0 });
    expect(await callHost("task_cancel", { taskId: second })).toBe(`{"error":"task \\"${second}\\" cannot be cancelled (status: running)"}`);
    expect(await callHost("task_cancel", { taskId: first })).toBe(`{"error":"task \\"${first}\\" cannot be cancelled (status: completed)"}`);
    expect(await callHost("task_cancel", { taskId: "nope" })).toBe('{"error":"task \\"nope\\" not found"}');
    expect(await callHost("task_get", { taskId: "nope" })).toBe('{"error":"task \\"nope\\" not found"}');
    expect(await callHost("task_clearqueue", { queueName: "held" })).toBe('{"result":2}');
    expect((await getTask(fourth)).result.status).toBe("cancelled");
    expect((await getTask(fifth)).result.status).toBe("cancelled");
    expect(await callHost("task_clearqueue", { queueName: "held" })).toBe("{}");
    expect(await callHost("task_clearqueue", { queueName: "other" })).toBe('{"error":"queue \\"other\\" does not exist"}');
    expect(status().queues.find((q) => q.queue === "held")!.counts).toEqual({ pending: 0, running: 1, completed: 1, failed: 0, cancelled: 3 });

    // Unload interrupts the waiting task: pending again, its attempt not counted.
    await reload();
    expect((await getTask(second)).result).toEqual({ status: "pending", message: "", attempt: 0 });
  });
});

describe("unload and re-attach (contract §4.6)", () => {
  it("returns a task interrupted by unload to pending and runs it after the queue is created again", async () => {
    await createQueue("long", { maxRetries: 0 });
    const id = await enqueue("long", "spin");
    await waitStatus(id, "running");
    await manager.disable(ID);
    const db = new Database(path.join(dataFolder, "plugins", ID, "taskqueue.db"), { readonly: true });
    try {
      expect(db.prepare("SELECT status, attempt FROM tasks WHERE id = ?").get(id)).toEqual({ status: "pending", attempt: 0 });
    } finally {
      db.close();
    }
    await manager.enable(ID);
    expect((await getTask(id)).result.status).toBe("pending");
    await createQueue("long", { maxRetries: 0 });
    await waitStatus(id, "failed", 20_000);
    expect((await getTask(id)).result).toMatchObject({ attempt: 1, message: expect.stringMatching(/^plugin call failed: .*deadline exceeded/) });
  });

  it("re-creates its queue in nd_on_init on every load (settings save)", async () => {
    await manager.saveSettings(ID, { config: JSON.stringify({ init_queue: "boot", init_queue_config: { concurrency: 2, maxRetries: 1 } }) });
    expect(pluginLines(manager, ID, "init -> ").at(-1)).toBe("{}");
    expect(status().queues.find((q) => q.queue === "boot")).toMatchObject({ active: true, config: { concurrency: 2, maxRetries: 1 } });
    await manager.saveSettings(ID, { config: "{}" });
  });
});

describe("worker building blocks", () => {
  it("doubles the back-off from backoffMs and caps it at one hour (int64 wrap included)", () => {
    expect([1, 2, 3, 4].map((a) => retryBackoffMs(1000, a))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryBackoffMs(1000, 13)).toBe(3_600_000);
    expect(retryBackoffMs(1000, 70)).toBe(3_600_000);
    expect(retryBackoffMs(3, 62)).toBe(3_600_000);
  });

  it("wakes one waiter per signal and keeps one signal for the next waiter", async () => {
    // Waits of a minute: only a signal can end them within the test.
    const s = new WakeSignal();
    const abort = new AbortController();
    s.notify();
    const woken: number[] = [];
    void s.wait(60_000, abort.signal).then(() => woken.push(0));
    await settle();
    expect(woken).toEqual([0]);
    const a = s.wait(60_000, abort.signal).then(() => woken.push(1));
    void s.wait(60_000, abort.signal).then(() => woken.push(2));
    s.notify();
    await a;
    await settle();
    expect(woken).toEqual([0, 1]);
    s.notify();
    await settle();
    expect(woken).toEqual([0, 1, 2]);
    void s.wait(60_000, abort.signal).then(() => woken.push(3));
    abort.abort();
    await settle();
    expect(woken).toEqual([0, 1, 2, 3]);
  });

  it("ends a wait without a signal after its timeout, not before", async () => {
    const t = Date.now();
    await new WakeSignal().wait(50, new AbortController().signal);
    expect(Date.now() - t).toBeGreaterThanOrEqual(49); // a timer may fire up to 1 ms early by Date.now()
  });

  it("spaces starts with a burst of one", async () => {
    const spacer = new StartSpacer(100);
    const abort = new AbortController();
    const t = Date.now();
    await spacer.wait(abort.signal);
    await spacer.wait(abort.signal);
    await spacer.wait(abort.signal);
    // The third slot is 200 ms after the first, and the spacer never grants one early.
    expect(Date.now() - t).toBeGreaterThanOrEqual(200);
  });
});
