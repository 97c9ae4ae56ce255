// The SchedulerCallback export:  export * from "@tessitura/ndp-pdk/exports/scheduler-callback";
import { registeredSchedulerCallback, SchedulerCallbackRequest } from "../capabilities/scheduler-callback";
import { FAILED, NOT_IMPLEMENTED, readRequest, respondEmpty } from "../lib/call";

export function nd_scheduler_callback(): i32 {
  const c = registeredSchedulerCallback();
  if (c === null) return NOT_IMPLEMENTED;
  const req = readRequest();
  if (req === null) return FAILED;
  c.onCallback(SchedulerCallbackRequest.decode(req));
  return respondEmpty();
}
