import "server-only";
import path from "node:path";
import { log } from "../../log";
import { PluginError } from "../errors";
import { decode, goField, GoTypeError, omitEmpty, type JsonNode } from "../go-json";
import { hostFunction } from "./config";
import { goQuote } from "../../go-quote";
import { jsonKind } from "./plugin-caller";
import { newRandomId } from "./random-id";
import type { HostService, HostServiceContext } from "./registry";
import { QueueRunner } from "./taskqueue-worker";
import { TaskStore, type QueueConfig, type QueueCounts, type TaskFailure } from "./taskqueue-store";

/** The task worker export (contract §3.5). */
export const TASK_EXECUTE = "nd_task_execute";

/** `nd_task_execute` request; `payload` is sent as padded base64. */
export interface TaskExecuteRequest {
  queueName: string;
  taskId: string;
  payload: Uint8Array;
  /** 1 on the first attempt. */
  attempt: number;
}

export const MAX_PAYLOAD_BYTES = 1024 * 1024;
const MAX_QUEUE_NAME_BYTES = 128;
const DEFAULT_BACKOFF_MS = 1000;
const DEFAULT_RETENTION_MS = 3_600_000;
const MIN_RETENTION_MS = 60_000;
const MAX_RETENTION_MS = 604_800_000;
const CLEANUP_INTERVAL_MS = 5 * 60_000;
const SHUTDOWN_WAIT_MS = 10_000;

/** What the admin page shows about a plugin's task queues. */
export interface TaskQueueStatus {
  maxConcurrency: number;
  allocated: number;
  /** Queues with tasks on disk or created in this load; `active` ones have workers now. */
  queues: (QueueCounts & { active: boolean; config: QueueConfig | null })[];
  recentFailures: TaskFailure[];
}

/** Defaults and clamps of `task_createqueue` (contract §4.6); concurrency is budgeted separately. */
export function queueConfigWithDefaults(c: QueueConfig): QueueConfig {
  const out = { ...c };
  if (out.concurrency <= 0) out.concurrency = 1;
  if (out.backoffMs <= 0) out.backoffMs = DEFAULT_BACKOFF_MS;
  if (out.retentionMs <= 0) out.retentionMs = DEFAULT_RETENTION_MS;
  out.retentionMs = Math.min(MAX_RETENTION_MS, Math.max(MIN_RETENTION_MS, out.retentionMs));
  return out;
}

function decodeQueueConfig(node: JsonNode | undefined): QueueConfig {
  const c = { concurrency: 0, maxRetries: 0, backoffMs: 0, delayMs: 0, retentionMs: 0 };
  if (!node || node.kind === "null") return c;
  if (node.kind !== "object") throw new GoTypeError(node, "TaskCreateQueueRequest.config", "host.QueueConfig", "/config");
  const field = (name: keyof QueueConfig, type: "int32" | "int64") => decode.int(goField(node, name), `TaskCreateQueueRequest.config.${name}`, `/config/${name}`, type) ?? 0;
  return {
    concurrency: field("concurrency", "int32"),
    maxRetries: field("maxRetries", "int32"),
    backoffMs: field("backoffMs", "int64"),
    delayMs: field("delayMs", "int64"),
    retentionMs: field("retentionMs", "int64"),
  };
}

/**
 * Task host service (contract §4.6): named queues per load backed by the plugin's own
 * SQLite file, so pending tasks survive reloads, restarts and a killed process. Queues
 * must be created again after every load; creating one re-attaches to its tasks and
 * returns interrupted `running` tasks to `pending`.
 */
export function createTaskQueueService(ctx: HostServiceContext): HostService {
  const pluginLog = log.child({ plugin: ctx.pluginId });
  const file = path.join(ctx.dataFolder, "plugins", ctx.pluginId, "taskqueue.db");
  let store: TaskStore;
  try {
    store = new TaskStore(file);
  } catch (err) {
    // Navidrome only logs this and registers no task functions, so a plugin that imports
    // them fails to instantiate (contract §4 intro).
    const message = `creating taskqueue service: ${(err as Error).message}`;
    pluginLog.error({ err: message }, "Failed to create task queue service");
    ctx.activity.log("error", message);
    return { functions: {} };
  }
  const maxConcurrency = ctx.manifest.permissions?.taskqueue?.maxConcurrency ?? 1;
  const queues = new Map<string, QueueRunner>();
  const abort = new AbortController();

  const runner = (name: string, config: QueueConfig) =>
    new QueueRunner(name, config, store, abort.signal, {
      async execute(task) {
        const request: TaskExecuteRequest = { queueName: name, taskId: task.id, payload: task.payload, attempt: task.attempt };
        const out = await ctx.callPlugin(TASK_EXECUTE, request, { signal: abort.signal });
        if (out === undefined || out === null) return "";
        if (typeof out !== "string") throw new PluginError(`json: cannot unmarshal ${jsonKind(out)} into Go value of type string`);
        return out;
      },
      onFailure(task, message, final) {
        pluginLog.warn({ queue: name, taskId: task.id, attempt: task.attempt, maxRetries: task.maxRetries, err: message }, final ? "Task failed after all retries" : "Task execution failed");
        if (final) ctx.activity.log("error", `task ${task.id} (queue ${name}) failed after ${task.attempt} attempt(s): ${message}`);
      },
      onError(what, err) {
        if (!abort.signal.aborted) pluginLog.error({ err: (err as Error).message }, `Failed ${what}`);
      },
    });

  const cleanup = setInterval(() => {
    const now = Date.now();
    for (const q of queues.values()) {
      try {
        store.cleanup(q.name, q.config.retentionMs, now);
      } catch (err) {
        pluginLog.error({ queue: q.name, err: (err as Error).message }, "Failed to cleanup tasks");
      }
    }
  }, CLEANUP_INTERVAL_MS);
  cleanup.unref?.();

  const existing = (name: string): QueueRunner => {
    const q = queues.get(name);
    if (!q) throw new Error(`queue ${goQuote(name)} does not exist`);
    return q;
  };
  const allocated = () => [...queues.values()].reduce((sum, q) => sum + q.config.concurrency, 0);

  return {
    functions: {
      task_createqueue: hostFunction((req) => {
        const name = decode.string(goField(req, "name"), "TaskCreateQueueRequest.name", "/name") ?? "";
        const config = queueConfigWithDefaults(decodeQueueConfig(goField(req, "config")));
        if (name.length === 0) throw new Error("queue name cannot be empty");
        if (Buffer.byteLength(name) > MAX_QUEUE_NAME_BYTES) throw new Error(`queue name exceeds maximum length of ${MAX_QUEUE_NAME_BYTES} bytes`);
        const used = allocated();
        const available = maxConcurrency - used;
        if (available <= 0) throw new Error(`concurrency budget exhausted (${used}/${maxConcurrency} allocated)`);
        if (config.concurrency > available) {
          pluginLog.warn({ queue: name, requested: config.concurrency, available, maxConcurrency }, "TaskQueue concurrency clamped");
          config.concurrency = available;
        }
        if (queues.has(name)) throw new Error(`queue ${goQuote(name)} already exists`);
        try {
          store.attachQueue(name, config, Date.now());
        } catch (err) {
          throw new Error(`creating queue: ${(err as Error).message}`);
        }
        const q = runner(name, config);
        queues.set(name, q);
        q.start();
        return {};
      }),
      task_enqueue: hostFunction((req) => {
        const queueName = decode.string(goField(req, "queueName"), "TaskEnqueueRequest.queueName", "/queueName") ?? "";
        const payload = decode.bytes(goField(req, "payload"), "TaskEnqueueRequest.payload", "/payload") ?? new Uint8Array();
        const q = existing(queueName);
        if (payload.length > MAX_PAYLOAD_BYTES) throw new Error(`payload size ${payload.length} exceeds maximum of ${MAX_PAYLOAD_BYTES} bytes`);
        const id = newRandomId();
        try {
          store.insert(id, queueName, payload, q.config.maxRetries, Date.now());
        } catch (err) {
          throw new Error(`enqueuing task: ${(err as Error).message}`);
        }
        q.wake.notify();
        return omitEmpty({ result: id });
      }),
      task_get: hostFunction((req) => {
        const taskId = decode.string(goField(req, "taskId"), "TaskGetRequest.taskId", "/taskId") ?? "";
        const info = store.get(taskId);
        if (!info) throw new Error(`task ${goQuote(taskId)} not found`);
        return { result: { status: info.status, message: info.message, attempt: info.attempt } };
      }),
      task_cancel: hostFunction((req) => {
        const taskId = decode.string(goField(req, "taskId"), "TaskCancelRequest.taskId", "/taskId") ?? "";
        const outcome = store.cancel(taskId, Date.now());
        if (outcome === undefined) throw new Error(`task ${goQuote(taskId)} not found`);
        if (outcome !== "ok") throw new Error(`task ${goQuote(taskId)} cannot be cancelled (status: ${outcome})`);
        return {};
      }),
      task_clearqueue: hostFunction((req) => {
        const queueName = decode.string(goField(req, "queueName"), "TaskClearQueueRequest.queueName", "/queueName") ?? "";
        existing(queueName);
        return omitEmpty({ result: store.clear(queueName, Date.now()) });
      }),
    },
    async close() {
      abort.abort();
      clearInterval(cleanup);
      const stopped = Promise.all([...queues.values()].map((q) => q.stopped()));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([stopped.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), SHUTDOWN_WAIT_MS)))]);
      clearTimeout(timer);
      if (timedOut) pluginLog.warn("TaskQueue shutdown timed out");
      queues.clear();
      store.close(Date.now());
    },
    status(): TaskQueueStatus {
      if (store.isClosed) return { maxConcurrency, allocated: 0, queues: [], recentFailures: [] };
      const counts = store.counts();
      for (const name of queues.keys())
        if (!counts.some((c) => c.queue === name)) counts.push({ queue: name, counts: { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 } });
      return {
        maxConcurrency,
        allocated: allocated(),
        queues: counts.sort((a, b) => a.queue.localeCompare(b.queue)).map((c) => ({ ...c, active: queues.has(c.queue), config: queues.get(c.queue)?.config ?? null })),
        recentFailures: store.recentFailures(20),
      };
    },
  };
}
