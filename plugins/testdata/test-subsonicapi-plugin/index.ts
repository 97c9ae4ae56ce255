// test-subsonicapi-plugin: the SubsonicAPI host service (contract §4.10), shaped like Navidrome's test plugin.
//   call_subsonic_api      input: a URI (e.g. "getAlbumList2?type=newest&u=alice"); output: the `responseJson` text
//                          of subsonicapi_call. A host error fails with "failed to call SubsonicAPI: <error>".
//   call_subsonic_api_raw  input: a URI; output {"contentType":…,"size":N,"firstByte":B} from subsonicapi_callraw
//                          (size and first byte of the decoded data). A host error fails with
//                          "failed to call SubsonicAPI raw: <error>".
//   nd_test_subsonicapi    input {"fn":<host function>,"request":<request JSON text>}: calls subsonicapi_call /
//                          subsonicapi_callraw with the JSON verbatim and outputs the host's response text as a JSON
//                          string.
import { abortWithError, allocString, inputString, output, parseJSON, q, readString, requestOrError, setError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

@external("extism:host/user", "subsonicapi_call")
declare function subsonicapi_call(offset: u64): u64;
@external("extism:host/user", "subsonicapi_callraw")
declare function subsonicapi_callraw(offset: u64): u64;

function call(raw: bool, uri: string): string {
  const off = allocString('{"uri":' + q(uri) + "}");
  return readString(raw ? subsonicapi_callraw(off) : subsonicapi_call(off));
}

export function call_subsonic_api(): i32 {
  const resp = parseJSON(call(false, inputString()));
  if (resp === null) {
    setError("failed to call SubsonicAPI: undecodable response");
    return 1;
  }
  const error = resp.str("error");
  if (error.length > 0) {
    setError("failed to call SubsonicAPI: " + error);
    return 1;
  }
  output(resp.str("responseJson"));
  return 0;
}

function b64value(c: i32): i32 {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c == 43) return 62;
  if (c == 47) return 63;
  return -1;
}

export function call_subsonic_api_raw(): i32 {
  const resp = parseJSON(call(true, inputString()));
  if (resp === null) {
    setError("failed to call SubsonicAPI raw: undecodable response");
    return 1;
  }
  const error = resp.str("error");
  if (error.length > 0) {
    setError("failed to call SubsonicAPI raw: " + error);
    return 1;
  }
  const data = resp.str("data");
  let pad = 0;
  if (data.endsWith("==")) pad = 2;
  else if (data.endsWith("=")) pad = 1;
  const size = (data.length / 4) * 3 - pad;
  let first = 0;
  if (data.length >= 2) first = (b64value(data.charCodeAt(0)) << 2) | (b64value(data.charCodeAt(1)) >> 4);
  output('{"contentType":' + q(resp.str("contentType")) + ',"size":' + size.toString() + ',"firstByte":' + first.toString() + "}");
  return 0;
}

export function nd_test_subsonicapi(): i32 {
  const req = requestOrError();
  if (req === null) return -1;
  const name = req.str("fn");
  const off = allocString(req.str("request", "{}"));
  let resp = "";
  if (name == "subsonicapi_call") resp = readString(subsonicapi_call(off));
  else if (name == "subsonicapi_callraw") resp = readString(subsonicapi_callraw(off));
  else {
    setError("unknown host function: " + name);
    return -1;
  }
  output(q(resp));
  return 0;
}
