// test-scrobble-retriever: the ScrobbleRetriever host service (Navidrome master, addendum A1).
//   nd_test_scrobble_retriever  input "<host function>\n<request JSON>": calls that function (the four
//                               scrobbleretriever_* functions) with the request bytes verbatim and outputs the host's
//                               response bytes verbatim. An unknown function name is an error.
//   nd_read_history             input {"username":u,"options":{…}}: walks the user's history the way the README
//                               tells plugins to: calls scrobbleretriever_getscrobbles, then passes each answer's
//                               `next` back verbatim until an answer has none. Outputs
//                               {"pages":[[id,…],…],"times":[[t,…],…],"requests":[<options JSON>,…]} or, when the
//                               host answers an error, the same with "error". Stops after 200 pages ("truncated").
import { abortWithError, allocString, inputJSON, J_ARR, J_BOOL, J_NUM, J_OBJ, J_STR, JValue, output, outputHostResponse, q, readForwardedCall, readString, unknownHostFunction, parseJSON } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

@external("extism:host/user", "scrobbleretriever_getfirsttimestamp")
declare function getfirsttimestamp(offset: u64): u64;

@external("extism:host/user", "scrobbleretriever_getlasttimestamp")
declare function getlasttimestamp(offset: u64): u64;

@external("extism:host/user", "scrobbleretriever_getscrobbles")
declare function getscrobbles(offset: u64): u64;

@external("extism:host/user", "scrobbleretriever_getscrobblecount")
declare function getscrobblecount(offset: u64): u64;

export function nd_test_scrobble_retriever(): i32 {
  const call = readForwardedCall();
  const fn = call.fn;
  const req = call.request;
  let resp: u64 = 0;
  if (fn == "scrobbleretriever_getfirsttimestamp") resp = getfirsttimestamp(req);
  else if (fn == "scrobbleretriever_getlasttimestamp") resp = getlasttimestamp(req);
  else if (fn == "scrobbleretriever_getscrobbles") resp = getscrobbles(req);
  else if (fn == "scrobbleretriever_getscrobblecount") resp = getscrobblecount(req);
  else return unknownHostFunction(fn);
  return outputHostResponse(resp);
}

/** Re-encodes a parsed JSON value (numbers as integers: every ScrobbleOptions number is one). */
function encode(v: JValue): string {
  if (v.kind == J_NUM) return (<i64>v.n).toString();
  if (v.kind == J_BOOL) return v.b ? "true" : "false";
  if (v.kind == J_STR) return q(v.s);
  if (v.kind == J_ARR) {
    const parts: string[] = [];
    for (let i = 0; i < v.items.length; i++) parts.push(encode(v.items[i]));
    return "[" + parts.join(",") + "]";
  }
  if (v.kind == J_OBJ) {
    const parts: string[] = [];
    for (let i = 0; i < v.keys.length; i++) parts.push(q(v.keys[i]) + ":" + encode(v.vals[i]));
    return "{" + parts.join(",") + "}";
  }
  return "null";
}

export function nd_read_history(): i32 {
  const input = inputJSON();
  const user = q(input.str("username"));
  let options = encode(input.obj("options"));
  const pages: string[] = [];
  const times: string[] = [];
  const requests: string[] = [];
  let tail = "";
  for (let n = 0; ; n++) {
    if (n == 200) {
      tail = ',"truncated":true';
      break;
    }
    requests.push(q(options));
    const text = readString(getscrobbles(allocString('{"username":' + user + ',"options":' + options + "}")));
    const resp = parseJSON(text);
    if (resp === null || resp.kind != J_OBJ) {
      tail = ',"error":' + q("bad response: " + text);
      break;
    }
    if (resp.has("error")) {
      tail = ',"error":' + q(resp.str("error"));
      break;
    }
    const ids: string[] = [];
    const ts: string[] = [];
    const list = resp.get("scrobbles");
    if (list !== null && list.kind == J_ARR) {
      for (let i = 0; i < list.items.length; i++) {
        ids.push(list.items[i].int("id").toString());
        ts.push(list.items[i].int("submissionTime").toString());
      }
    }
    pages.push("[" + ids.join(",") + "]");
    times.push("[" + ts.join(",") + "]");
    const next = resp.get("next");
    if (next === null || next.kind != J_OBJ) break;
    options = encode(next);
  }
  output('{"pages":[' + pages.join(",") + '],"times":[' + times.join(",") + '],"requests":[' + requests.join(",") + "]" + tail + "}");
  return 0;
}
