// TaskWorker capability (contract §3.5): runs the tasks of your queues (TaskQueue host
// service). Required with the `taskqueue` permission.
//
//   export * from "@tessitura/ndp-pdk/exports/task-worker";
//   class MyWorker extends TaskWorker { execute(req: TaskExecuteRequest): string { … } }
//   registerTaskWorker(new MyWorker());
//
// The string you return is stored as the task's message. fail() makes the attempt fail; it is
// retried after `backoffMs × 2^(attempt−1)` until `maxRetries + 1` attempts were made.
import { notImplemented } from "../lib/call";
import { JSONValue } from "../lib/json";

export class TaskExecuteRequest {
  queueName: string = "";
  taskId: string = "";
  payload: Uint8Array = new Uint8Array(0);
  /** 1 for the first attempt. */
  attempt: i32 = 0;

  static decode(v: JSONValue): TaskExecuteRequest {
    const r = new TaskExecuteRequest();
    r.queueName = v.getString("queueName");
    r.taskId = v.getString("taskId");
    r.payload = v.getBytes("payload");
    r.attempt = v.getI32("attempt");
    return r;
  }

  /** The payload as UTF-8 text. */
  payloadText(): string {
    return String.UTF8.decode(this.payload.buffer);
  }
}

export class TaskWorker {
  /** The task's result message (null is stored as ""). */
  execute(req: TaskExecuteRequest): string | null {
    return notImplemented<string | null>();
  }
}

let registered: TaskWorker | null = null;

export function registerTaskWorker(worker: TaskWorker): void {
  registered = worker;
}

export function registeredTaskWorker(): TaskWorker | null {
  return registered;
}
