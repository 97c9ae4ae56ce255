// Host function calls (contract §2.12): one JSON object in an Extism memory block in, one JSON
// object out; `{"error": …}` on failure.
import { allocString, readString } from "./io";
import { JSONValue, parseJSON, quote } from "./json";

/** The request block for a host function: `json` in Extism memory. */
export function hostRequest(json: string): u64 {
  return allocString(json);
}

/** Reads and parses a host function's response block; malformed answers become `{"error": …}`. */
export function hostResponse(offset: u64): JSONValue {
  const text = readString(offset);
  const v = parseJSON(text);
  if (v !== null && v.isObject) return v;
  const e = parseJSON('{"error":' + quote(offset == 0 ? "host function returned no response" : "host function returned malformed JSON: " + text) + "}");
  return e!;
}
