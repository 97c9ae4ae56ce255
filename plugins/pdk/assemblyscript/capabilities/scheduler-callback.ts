// SchedulerCallback capability (contract §3.7): receives the schedules created with the
// Scheduler host service. Required with the `scheduler` permission.
//
//   export * from "@tessitura/ndp-pdk/exports/scheduler-callback";
//   class Tick extends SchedulerCallback { onCallback(req: SchedulerCallbackRequest): void { … } }
//   registerSchedulerCallback(new Tick());
import { notImplemented } from "../lib/call";
import { JSONValue } from "../lib/json";

export class SchedulerCallbackRequest {
  scheduleId: string = "";
  payload: string = "";
  isRecurring: bool = false;

  static decode(v: JSONValue): SchedulerCallbackRequest {
    const r = new SchedulerCallbackRequest();
    r.scheduleId = v.getString("scheduleId");
    r.payload = v.getString("payload");
    r.isRecurring = v.getBool("isRecurring");
    return r;
  }
}

export class SchedulerCallback {
  onCallback(req: SchedulerCallbackRequest): void {
    notImplemented();
  }
}

let registered: SchedulerCallback | null = null;

export function registerSchedulerCallback(callback: SchedulerCallback): void {
  registered = callback;
}

export function registeredSchedulerCallback(): SchedulerCallback | null {
  return registered;
}
