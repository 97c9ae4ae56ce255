/**
 * Background-work figures for `npm run bench` (issue 8), called from scripts/bench.ts:
 *
 *   8. task-queue throughput: tasks/s through a queue (SQLite, workers) running a no-op
 *      `nd_task_execute`, vs the same calls made directly at the same concurrency
 *   9. scheduler jitter: how late a 1 s recurring schedule reaches `nd_scheduler_callback`
 *      (p50 and p99 over a minute; 10 s with --quick)
 *
 * The services run exactly as in the server, on an engine of their own; only the plugin
 * manager is left out.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PluginActivity } from "../lib/plugins/activity";
import { callPluginFunction } from "../lib/plugins/call";
import { Engine, type HostFunction, type LoadOptions } from "../lib/plugins/engine";
import type { PluginCaller } from "../lib/plugins/host/plugin-caller";
import type { HostService, HostServiceContext } from "../lib/plugins/host/registry";
import { createSchedulerService } from "../lib/plugins/host/scheduler";
import { createTaskQueueService, type TaskQueueStatus } from "../lib/plugins/host/taskqueue";
import type { LoadedPlugin } from "../lib/plugins/loader";
import type { Manifest } from "../lib/plugins/manifest/types";

interface FigureRow {
  figure: string;
  ours: number;
  baseline: number;
  unit: string;
  ratio: number;
  target: string;
  met: boolean;
}

interface BenchContext {
  base: LoadOptions;
  print: (row: FigureRow) => void;
  quick: boolean;
}

const root = path.resolve(import.meta.dirname, "..");
const enc = new TextEncoder();
const dec = new TextDecoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Loads a built test plugin with one host service, wired like the loader does. */
async function loadWithService(
  b: BenchContext & { engine: Engine },
  name: string,
  manifest: Manifest,
  config: Record<string, string>,
  create: (ctx: HostServiceContext) => HostService,
  onCall?: (exportName: string) => void,
) {
  const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-bench-"));
  let plugin: LoadedPlugin | null = null;
  const callPlugin: PluginCaller = (exportName, input, opts) => {
    onCall?.(exportName);
    return callPluginFunction(plugin!, exportName, input, opts);
  };
  const activity = new PluginActivity();
  const service = create({ pluginId: name, manifest, record: {} as HostServiceContext["record"], config, dataFolder, callPlugin, activity });
  const wasm = new Uint8Array(readFileSync(path.join(root, "build/plugins", `${name}.wasm`)));
  const module = await b.engine.load(wasm, { ...b.base, name: `bench-${name}`, config, hostFunctions: service.functions });
  plugin = { id: name, module, activity, inflight: 0 } as unknown as LoadedPlugin;
  const host = async (fn: string, request: object) => JSON.parse(dec.decode(await (service.functions[fn] as HostFunction)(enc.encode(JSON.stringify(request)), { plugin: name, signal: new AbortController().signal })));
  const close = async () => {
    await service.close?.();
    await module.close();
    rmSync(dataFolder, { recursive: true, force: true });
  };
  return { plugin, service, host, close };
}

export async function backgroundFigures(opts: BenchContext): Promise<void> {
  const b = { ...opts, engine: new Engine({}) };
  try {
    await taskThroughput(b);
    await schedulerJitter(b);
  } finally {
    await b.engine.close();
  }
}

/** 8. Task throughput through a queue vs direct calls at the same concurrency. */
async function taskThroughput(b: BenchContext & { engine: Engine }): Promise<void> {
  const concurrency = 4;
  const tasks = b.quick ? 2000 : 10000;
  const manifest: Manifest = { name: "bench", author: "bench", version: "1", permissions: { taskqueue: { maxConcurrency: concurrency } } };
  const tq = await loadWithService(b, "test-taskqueue", manifest, { quiet: "true" }, createTaskQueueService);
  const request = { queueName: "bench", taskId: "x", payload: enc.encode("no-output"), attempt: 1 };
  for (let i = 0; i < 200; i++) await callPluginFunction(tq.plugin, "nd_task_execute", request);
  let t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < tasks) await callPluginFunction(tq.plugin, "nd_task_execute", request);
    }),
  );
  const direct = tasks / ((performance.now() - t) / 1000);

  await tq.host("task_createqueue", { name: "bench", config: { concurrency } });
  const payload = Buffer.from("no-output").toString("base64");
  t = performance.now();
  for (let i = 0; i < tasks; i++) await tq.host("task_enqueue", { queueName: "bench", payload });
  const enqueueMs = performance.now() - t;
  const completed = () => (tq.service.status!() as TaskQueueStatus).queues.find((q) => q.queue === "bench")?.counts.completed ?? 0;
  while (completed() < tasks) await sleep(50);
  const queued = tasks / ((performance.now() - t) / 1000);
  await tq.close();
  console.log(`  enqueueing alone: ${Math.round(tasks / (enqueueMs / 1000))} tasks/s (SQLite insert per task, WAL)`);
  b.print({
    figure: `9. task-queue throughput, enqueue to completed, no-op nd_task_execute (${tasks} tasks, concurrency ${concurrency}) vs direct calls`,
    ours: queued,
    baseline: direct,
    unit: "tasks/s",
    ratio: queued / direct,
    target: "report",
    met: true,
  });
}

/**
 * 9. Scheduler jitter: an `@every 1s` schedule fires on whole seconds, so how late a
 * callback starts is the milliseconds past the second when it is dispatched.
 */
async function schedulerJitter(b: BenchContext & { engine: Engine }): Promise<void> {
  const seconds = b.quick ? 10 : 60;
  const delays: number[] = [];
  const manifest: Manifest = { name: "bench", author: "bench", version: "1", permissions: { scheduler: {} } };
  const sched = await loadWithService(b, "test-scheduler", manifest, {}, createSchedulerService, (exportName) => {
    if (exportName === "nd_scheduler_callback") delays.push(Date.now() % 1000);
  });
  await sched.host("scheduler_schedulerecurring", { cronExpression: "@every 1s", payload: "tick", scheduleId: "jitter" });
  await sleep(seconds * 1000 + 500);
  await sched.close();
  delays.sort((x, y) => x - y);
  const pct = (p: number) => delays[Math.min(delays.length - 1, Math.floor(delays.length * p))] ?? NaN;
  const [p50, p99] = [pct(0.5), pct(0.99)];
  b.print({ figure: `10a. scheduler jitter, 1 s recurring schedule, p50 over ${delays.length} runs (budget 10 ms)`, ours: p50, baseline: 10, unit: "ms", ratio: p50 / 10, target: "≤ 1× budget", met: p50 <= 10 });
  b.print({ figure: `10b. scheduler jitter, 1 s recurring schedule, p99 (budget 50 ms)`, ours: p99, baseline: 50, unit: "ms", ratio: p99 / 50, target: "≤ 1× budget", met: p99 <= 50 });
}
