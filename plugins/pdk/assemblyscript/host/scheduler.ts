// Scheduler host service (`scheduler` permission, contract §4.3). Schedules call your
// `nd_scheduler_callback` (SchedulerCallback capability) with their ID and payload. They live
// in memory for one load of the plugin: create them again in `nd_on_init`.
//
// Recurring schedules take cron (5 fields, or 6 with leading seconds), `@hourly`, `@daily`…,
// `@every 5m`, or a bare Go duration (`90s`). Leave the ID empty to get a generated one.
import { hostRequest, hostResponse } from "../lib/host";
import { JSONWriter } from "../lib/json";
import { StringResult, VoidResult } from "../lib/results";

@external("extism:host/user", "scheduler_scheduleonetime")
declare function scheduler_scheduleonetime(offset: u64): u64;
@external("extism:host/user", "scheduler_schedulerecurring")
declare function scheduler_schedulerecurring(offset: u64): u64;
@external("extism:host/user", "scheduler_cancelschedule")
declare function scheduler_cancelschedule(offset: u64): u64;

function idResult(offset: u64): StringResult {
  const res = hostResponse(offset);
  const r = new StringResult();
  if (r.takeError(res)) return r;
  r.value = res.getString("newScheduleId");
  r.exists = r.value.length > 0;
  return r;
}

export class Scheduler {
  /** Fires once after `delaySeconds` (0: right away). Answers the schedule ID. */
  static scheduleOneTime(delaySeconds: i32, payload: string, scheduleId: string = ""): StringResult {
    return idResult(scheduler_scheduleonetime(hostRequest(new JSONWriter().beginObject().int("delaySeconds", delaySeconds).string("payload", payload).string("scheduleId", scheduleId).endObject().toString())));
  }

  /** Fires on `cronExpression` until cancelled or unloaded. Answers the schedule ID. */
  static scheduleRecurring(cronExpression: string, payload: string, scheduleId: string = ""): StringResult {
    return idResult(scheduler_schedulerecurring(hostRequest(new JSONWriter().beginObject().string("cronExpression", cronExpression).string("payload", payload).string("scheduleId", scheduleId).endObject().toString())));
  }

  static cancel(scheduleId: string): VoidResult {
    const r = new VoidResult();
    r.takeError(hostResponse(scheduler_cancelschedule(hostRequest(new JSONWriter().beginObject().string("scheduleId", scheduleId).endObject().toString()))));
    return r;
  }
}
