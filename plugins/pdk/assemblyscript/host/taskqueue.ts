// TaskQueue host service (`taskqueue` permission, contract §4.6): persistent queues whose tasks
// run in your `nd_task_execute` (TaskWorker capability). Tasks survive restarts; queues must be
// created again after every load (usually in `nd_on_init`), which re-attaches their tasks.
// The sum of all queues' concurrency is capped by the manifest's `taskqueue.maxConcurrency`.
import { hostRequest, hostResponse } from "../lib/host";
import { utf8 } from "../lib/io";
import { JSONWriter } from "../lib/json";
import { HostResult, IntResult, StringResult, VoidResult } from "../lib/results";

@external("extism:host/user", "task_createqueue")
declare function task_createqueue(offset: u64): u64;
@external("extism:host/user", "task_enqueue")
declare function task_enqueue(offset: u64): u64;
@external("extism:host/user", "task_get")
declare function task_get(offset: u64): u64;
@external("extism:host/user", "task_cancel")
declare function task_cancel(offset: u64): u64;
@external("extism:host/user", "task_clearqueue")
declare function task_clearqueue(offset: u64): u64;

/** How a queue runs its tasks; zero values take the host's defaults. */
export class QueueConfig {
  /** Workers for this queue (≤ 0: 1). */
  concurrency: i32 = 1;
  /** Retries after the first attempt. */
  maxRetries: i32 = 0;
  /** First retry delay, doubled each time, at most 1 h (≤ 0: 1000). */
  backoffMs: i64 = 0;
  /** Minimum spacing between task starts (≤ 0: none). */
  delayMs: i64 = 0;
  /** How long finished tasks are kept (≤ 0: 1 h; clamped to 1 min – 1 week). */
  retentionMs: i64 = 0;
}

/** `pending`, `running`, `completed`, `failed` or `cancelled`, with the last message and attempt. */
export class TaskInfoResult extends HostResult {
  status: string = "";
  message: string = "";
  attempt: i32 = 0;
}

export class TaskQueue {
  static create(name: string, config: QueueConfig = new QueueConfig()): VoidResult {
    const w = new JSONWriter().beginObject().string("name", name).beginObject("config");
    w.int("concurrency", config.concurrency).int("maxRetries", config.maxRetries).int("backoffMs", config.backoffMs);
    w.int("delayMs", config.delayMs).int("retentionMs", config.retentionMs).endObject().endObject();
    const r = new VoidResult();
    r.takeError(hostResponse(task_createqueue(hostRequest(w.toString()))));
    return r;
  }

  /** Adds a task (payload up to 1 MiB); answers its ID. */
  static enqueue(queueName: string, payload: Uint8Array): StringResult {
    const res = hostResponse(task_enqueue(hostRequest(new JSONWriter().beginObject().string("queueName", queueName).bytes("payload", payload).endObject().toString())));
    const r = new StringResult();
    if (r.takeError(res)) return r;
    r.value = res.getString("result");
    r.exists = true;
    return r;
  }

  static enqueueText(queueName: string, payload: string): StringResult {
    return TaskQueue.enqueue(queueName, utf8(payload));
  }

  static get(taskId: string): TaskInfoResult {
    const res = hostResponse(task_get(hostRequest(new JSONWriter().beginObject().string("taskId", taskId).endObject().toString())));
    const r = new TaskInfoResult();
    if (r.takeError(res)) return r;
    const info = res.getObject("result");
    r.status = info.getString("status");
    r.message = info.getString("message");
    r.attempt = info.getI32("attempt");
    return r;
  }

  /** Cancels a pending task. */
  static cancel(taskId: string): VoidResult {
    const r = new VoidResult();
    r.takeError(hostResponse(task_cancel(hostRequest(new JSONWriter().beginObject().string("taskId", taskId).endObject().toString()))));
    return r;
  }

  /** Cancels every pending task of the queue; answers how many. */
  static clear(queueName: string): IntResult {
    const res = hostResponse(task_clearqueue(hostRequest(new JSONWriter().beginObject().string("queueName", queueName).endObject().toString())));
    const r = new IntResult();
    if (r.takeError(res)) return r;
    r.value = res.getI64("result");
    return r;
  }
}
