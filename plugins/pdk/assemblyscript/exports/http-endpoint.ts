// The HTTPEndpoint export:  export * from "@tessitura/ndp-pdk/exports/http-endpoint";
//
// Framing of Navidrome's open PR #5045 (its ndpgen `raw=true` mode): the input is
// `[u32 big-endian JSON length][request JSON][raw body]`; the output is
// `[0x00][u32 big-endian JSON length][{"status","headers"} JSON][raw body]`, or `[0x01][error message]`
// with return code 0 for a handler that failed. A merged version of the PR may frame bytes
// differently; only this file would change.
import { EndpointRequest, EndpointResponse, registeredHttpEndpoint } from "../capabilities/http-endpoint";
import { beginCall, failureMessage, NOT_IMPLEMENTED, wasNotImplemented } from "../lib/call";
import { inputBytes, outputBytes, utf8 } from "../lib/io";
import { JSONWriter, parseJSON } from "../lib/json";

function writeError(message: string): i32 {
  const text = utf8(message);
  const out = new Uint8Array(1 + text.length);
  out[0] = 1;
  out.set(text, 1);
  outputBytes(out);
  return 0;
}

function writeResponse(res: EndpointResponse): i32 {
  const w = new JSONWriter().beginObject().int("status", res.status).beginObject("headers");
  const names = res.headers.keys();
  for (let i = 0; i < names.length; i++) {
    const values = res.headers.get(names[i]);
    w.beginArray(names[i]);
    for (let j = 0; j < values.length; j++) w.stringValue(values[j]);
    w.endArray();
  }
  const json = utf8(w.endObject().endObject().toString());
  const out = new Uint8Array(5 + json.length + res.body.length);
  out[0] = 0;
  out[1] = <u8>(json.length >>> 24);
  out[2] = <u8>(json.length >>> 16);
  out[3] = <u8>(json.length >>> 8);
  out[4] = <u8>json.length;
  out.set(json, 5);
  out.set(res.body, 5 + json.length);
  outputBytes(out);
  return 0;
}

export function nd_http_handle_request(): i32 {
  const endpoint = registeredHttpEndpoint();
  if (endpoint === null) return NOT_IMPLEMENTED;
  beginCall();
  const input = inputBytes();
  if (input.length < 4) return writeError("invalid request frame: shorter than its length prefix");
  const n = (<u32>input[0] << 24) | (<u32>input[1] << 16) | (<u32>input[2] << 8) | <u32>input[3];
  if (<u64>n > <u64>(input.length - 4)) return writeError("invalid request frame: JSON length " + n.toString() + " exceeds the input");
  const text = String.UTF8.decode(input.slice(4, 4 + <i32>n).buffer);
  const head = parseJSON(text);
  if (head === null || !head.isObject) return writeError("failed to parse request JSON: " + text);
  const res = endpoint.handle(EndpointRequest.decode(head, input.slice(4 + <i32>n)));
  const message = failureMessage();
  if (message !== null) return writeError(message);
  if (wasNotImplemented()) return NOT_IMPLEMENTED;
  if (res === null) return writeError("handler returned no response");
  return writeResponse(res);
}
