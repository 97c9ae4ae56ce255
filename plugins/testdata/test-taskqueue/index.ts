// test-taskqueue: the Task host service (contract §4.6) and nd_task_execute (§3.5).
//   nd_test_taskqueue  input {"fn":<host function>,"request":<request JSON text>}: calls task_createqueue / task_enqueue / task_get /
//                      task_cancel / task_clearqueue with the JSON verbatim and outputs the host's response text as a JSON string.
//   nd_task_execute    logs "execute <request JSON>" unless config "quiet" is set; with config "collector" (a URL) it
//                      first GETs <collector>?task=<taskId>&attempt=<n>&payload=<payload> through Extism's http_request.
//                      Then, by payload (decoded from base64):
//                        fail               always fails: "task failed: fail"
//                        fail-then-succeed  fails on attempt 1 ("first attempt fails"), then succeeds
//                        object-output      outputs {"ok":true} (not a JSON string: the host must fail it)
//                        no-output          succeeds with no output (message "")
//                        spin               loops until the host stops the call
//                        anything else      outputs the JSON string "done <payload> #<attempt>"
//   nd_on_init         with config "init_queue": task_createqueue {name: init_queue, config: <config "init_queue_config"
//                      JSON, or {}>}; logs "init -> <response>".
import { Config } from "@extism/as-pdk";
import { abortWithError, allocString, httpRequest, inputString, logInfo, output, q, readString, requestOrError, setError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

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

function callHost(name: string, request: string): string | null {
  const off = allocString(request);
  if (name == "task_createqueue") return readString(task_createqueue(off));
  if (name == "task_enqueue") return readString(task_enqueue(off));
  if (name == "task_get") return readString(task_get(off));
  if (name == "task_cancel") return readString(task_cancel(off));
  if (name == "task_clearqueue") return readString(task_clearqueue(off));
  return null;
}

export function nd_test_taskqueue(): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  const name = req.str("fn");
  const request = req.str("request", "{}");
  const resp = callHost(name, request);
  if (resp === null) {
    setError("unknown host function: " + name);
    return -1;
  }
  output(q(resp));
  return 0;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard padded base64 → UTF-8 text (the payloads used here are text). */
function fromBase64(s: string): string {
  const out = new Array<u8>();
  let acc: u32 = 0;
  let bits: i32 = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c == "=") break;
    acc = (acc << 6) | <u32>B64.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push(<u8>((acc >> (<u32>bits)) & 0xff));
    }
  }
  const bytes = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out[i];
  return String.UTF8.decode(bytes.buffer);
}

export function nd_task_execute(): i32 {
  if (Config.get("quiet") === null) logInfo("execute " + inputString());
  const req = requestOrError();
  if (req === null) return -1;
  const payload = fromBase64(req.str("payload"));
  const attempt = req.int("attempt");
  const collector = Config.get("collector");
  if (collector !== null) {
    const r = httpRequest("GET", collector + "?task=" + req.str("taskId") + "&attempt=" + attempt.toString() + "&payload=" + payload);
    if (r.status != 200) {
      setError("collector answered " + r.status.toString());
      return -1;
    }
  }
  if (payload == "fail") {
    setError("task failed: fail");
    return -1;
  }
  if (payload == "fail-then-succeed" && attempt == 1) {
    setError("first attempt fails");
    return -1;
  }
  if (payload == "object-output") {
    output('{"ok":true}');
    return 0;
  }
  if (payload == "no-output") return 0;
  if (payload == "spin") {
    let n: i64 = 0;
    while (n >= 0) n++;
    return 0;
  }
  output(q("done " + payload + " #" + attempt.toString()));
  return 0;
}

export function nd_on_init(): i32 {
  const name = Config.get("init_queue");
  if (name === null) return 0;
  const config = Config.get("init_queue_config");
  const resp = callHost("task_createqueue", '{"name":' + q(name) + ',"config":' + (config === null ? "{}" : config) + "}");
  logInfo("init -> " + (resp === null ? "" : resp));
  return 0;
}
