// The calling convention of capability exports (contract §2.3–§2.5), as the Go PDK applies it:
// the request is JSON input; a handler's error becomes the Extism error and the export
// returns -1; a handler the plugin did not implement returns -2 ("not implemented"); a result
// is written as JSON output (a null result as `null`).
import { Encodable, JSONValue, parseJSON, quote } from "./json";
import { inputString, outputString, setError } from "./io";

/** Return code for "not implemented": metadata agents fall through to the next agent. */
export const NOT_IMPLEMENTED: i32 = -2;
/** Return code of a failed call (the Extism error carries the reason). */
export const FAILED: i32 = -1;

let pendingError: string | null = null;
let notImplementedCalled = false;

/**
 * Fails the current call with `message` (the host reports `plugin call failed: <message>`).
 * It answers the zero value of `T` (null, false, 0) so a handler can return it directly:
 *
 *   if (!res.ok) return fail<ArtistBiographyResponse | null>("lookup failed: " + res.error!);
 *   if (!res.ok) { fail("webhook failed: " + res.error!); return; }
 *
 * Returning normally matters: a trap (`throw`, `abort`) loses the message on Navidrome-compatible hosts.
 */
export function fail<T = i32>(message: string): T {
  pendingError = message;
  if (isReference<T>()) return changetype<T>(0);
  return <T>0;
}

/** Whether the current call has failed (see `fail`). */
export function failed(): bool {
  return pendingError !== null;
}

/** Used by the capability base classes for the methods a plugin does not override. */
export function notImplemented<T = i32>(): T {
  notImplementedCalled = true;
  if (isReference<T>()) return changetype<T>(0);
  return <T>0;
}

/** Starts a call: clears the error and the not-implemented mark of any earlier work in this instance. */
export function beginCall(): void {
  pendingError = null;
  notImplementedCalled = false;
}

/**
 * Reads the input as a JSON object. On bad input the call fails as the Go PDK's does
 * (`failed to parse input JSON: …`) and null is returned; the export then returns FAILED.
 */
export function readRequest(): JSONValue | null {
  beginCall();
  const text = inputString();
  if (text.length == 0) return JSONValue.object();
  const v = parseJSON(text);
  if (v === null || !v.isObject) {
    setError("failed to parse input JSON: " + text);
    return null;
  }
  return v;
}

/** The return code after a handler ran (the error set when it failed), or 1: "go on and write the output". */
function settle(): i32 {
  if (pendingError !== null) {
    setError(pendingError!);
    return FAILED;
  }
  if (notImplementedCalled) return NOT_IMPLEMENTED;
  return 1;
}

/** Finishes a call whose handler answered a JSON object (or null: "no data"). */
export function respond<T extends Encodable>(result: T | null): i32 {
  const code = settle();
  if (code != 1) return code;
  outputString(result === null ? "null" : result.toJSON());
  return 0;
}

/** Finishes a call without output. */
export function respondEmpty(): i32 {
  const code = settle();
  return code == 1 ? 0 : code;
}

/** Finishes a call whose handler answered a boolean (written as `true`/`false`). */
export function respondBool(value: bool): i32 {
  const code = settle();
  if (code != 1) return code;
  outputString(value ? "true" : "false");
  return 0;
}

/** Finishes a call whose handler produced JSON text itself (custom exports). */
export function respondJSON(json: string): i32 {
  const code = settle();
  if (code != 1) return code;
  outputString(json);
  return 0;
}

/** Finishes a call whose handler answered a string (written as a JSON string). */
export function respondString(value: string): i32 {
  const code = settle();
  if (code != 1) return code;
  outputString(quote(value));
  return 0;
}

/** The current call's failure message (see `fail`), or null: for exports that frame errors themselves (HTTPEndpoint). */
export function failureMessage(): string | null {
  return pendingError;
}

/** Whether the current call's handler left its method unimplemented (see `notImplemented`). */
export function wasNotImplemented(): bool {
  return notImplementedCalled;
}
