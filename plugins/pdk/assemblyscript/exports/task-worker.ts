// The TaskWorker export:  export * from "@tessitura/ndp-pdk/exports/task-worker";
import { registeredTaskWorker, TaskExecuteRequest } from "../capabilities/task-worker";
import { FAILED, NOT_IMPLEMENTED, readRequest, respondString } from "../lib/call";

export function nd_task_execute(): i32 {
  const w = registeredTaskWorker();
  if (w === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  const message = w.execute(TaskExecuteRequest.decode(req));
  return respondString(message === null ? "" : message);
}
