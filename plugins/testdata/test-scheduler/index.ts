// test-scheduler: the Scheduler host service (contract §4.3) and nd_scheduler_callback (§3.7).
//   nd_test_scheduler      input {"fn":<host function>,"request":<request JSON text>}: calls scheduler_scheduleonetime /
//                          scheduler_schedulerecurring / scheduler_cancelschedule with the JSON verbatim and outputs
//                          the host's response text as a JSON string.
//   nd_scheduler_callback  logs "callback <request JSON>" (info), then acts on magic payloads:
//                            schedule-followup         one-time 1 s, ID followup-id, payload "followup"
//                            schedule-recurring        @every 1s, ID recurring-from-plugin, payload "recurring"
//                            schedule-duplicate:<id>   one-time 60 s with ID <id>; the host's error fails the callback
//                            cancel-self               cancels the schedule being delivered
//                            fail                      fails with "callback failed on purpose"
//                          and logs "<payload> -> <host response>" for the ones that call the host.
//   nd_on_init             with config "init_cron": schedules it as ID "from-init", payload "init".
import { Config } from "@extism/as-pdk";
import { abortWithError, allocString, inputString, logInfo, output, parseJSON, q, readString, requestOrError, setError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

@external("extism:host/user", "scheduler_scheduleonetime")
declare function scheduleonetime(offset: u64): u64;

@external("extism:host/user", "scheduler_schedulerecurring")
declare function schedulerecurring(offset: u64): u64;

@external("extism:host/user", "scheduler_cancelschedule")
declare function cancelschedule(offset: u64): u64;

function callHost(name: string, request: string): string {
  const off = allocString(request);
  if (name == "scheduler_scheduleonetime") return readString(scheduleonetime(off));
  if (name == "scheduler_schedulerecurring") return readString(schedulerecurring(off));
  if (name == "scheduler_cancelschedule") return readString(cancelschedule(off));
  return "";
}

export function nd_test_scheduler(): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  const name = req.str("fn");
  const request = req.str("request", "{}");
  if (name != "scheduler_scheduleonetime" && name != "scheduler_schedulerecurring" && name != "scheduler_cancelschedule") {
    setError("unknown host function: " + name);
    return -1;
  }
  output(q(callHost(name, request)));
  return 0;
}

function oneTime(delay: i32, payload: string, id: string): string {
  return callHost("scheduler_scheduleonetime", '{"delaySeconds":' + delay.toString() + ',"payload":' + q(payload) + ',"scheduleId":' + q(id) + "}");
}

export function nd_scheduler_callback(): i32 {
  logInfo("callback " + inputString());
  const req = requestOrError();
  if (req === null) return -1;
  const payload = req.str("payload");
  let resp = "";
  if (payload == "schedule-followup") resp = oneTime(1, "followup", "followup-id");
  else if (payload == "schedule-recurring")
    resp = callHost("scheduler_schedulerecurring", '{"cronExpression":"@every 1s","payload":"recurring","scheduleId":"recurring-from-plugin"}');
  else if (payload.startsWith("schedule-duplicate:")) resp = oneTime(60, "duplicate", payload.substring("schedule-duplicate:".length));
  else if (payload == "cancel-self") resp = callHost("scheduler_cancelschedule", '{"scheduleId":' + q(req.str("scheduleId")) + "}");
  else if (payload == "fail") {
    setError("callback failed on purpose");
    return -1;
  } else return 0;
  logInfo(payload + " -> " + resp);
  const parsed = parseJSON(resp);
  const error = parsed === null ? "" : parsed.str("error");
  if (error.length > 0) {
    setError(error);
    return -1;
  }
  return 0;
}

export function nd_on_init(): i32 {
  const cron = Config.get("init_cron");
  if (cron === null) return 0;
  const resp = callHost("scheduler_schedulerecurring", '{"cronExpression":' + q(cron) + ',"payload":"init","scheduleId":"from-init"}');
  logInfo("init -> " + resp);
  return 0;
}
