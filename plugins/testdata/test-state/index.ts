// test-state: a grab bag of runtime-behaviour probes (fresh instance per call, output encoding, logging, limits,
// traps, built-in HTTP, WASI random/clock, cache host function). See README.md for the expected results.
import { Host, Var } from "@extism/as-pdk";
import {
  abortWithError,
  allocString,
  hex,
  httpRequest,
  inputJSON,
  logDebug,
  logError,
  logInfo,
  logTrace,
  logWarn,
  output,
  q,
  randomBytes,
  readString,
  realtimeNanos,
  setError,
  utf8,
} from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

@external("extism:host/user", "cache_getstring")
declare function cache_getstring(offset: u64): u64;

// Module global: a warm (reused) instance would make nd_counter return 2, 3, ...
let counter: i32 = 0;

/** {"global":N,"var":M}: both are 1 on every call when each call runs in a fresh instance. */
export function nd_counter(): i32 {
  counter++;
  let v: i32 = 0;
  const stored = Var.get("counter");
  if (stored !== null) v = I32.parseInt(String.UTF8.decode(stored.buffer));
  v++;
  Var.set("counter", utf8(v.toString()));
  output('{"global":' + counter.toString() + ',"var":' + v.toString() + "}");
  return 0;
}

/** Outputs the input bytes unchanged (no output for empty input). */
export function nd_echo(): i32 {
  const input = Host.input();
  if (input.length > 0) Host.output(input);
  return 0;
}

/** Returns 0 without output. */
export function nd_noop(): i32 {
  return 0;
}

/** {"name":"Björk ✓"} — multi-byte UTF-8 output. */
export function nd_unicode(): i32 {
  output('{"name":"Björk ✓"}');
  return 0;
}

/** Calls host function cache_getstring {"key":"k"} and outputs its JSON response verbatim. */
export function nd_cache_roundtrip(): i32 {
  const resp = cache_getstring(allocString('{"key":"k"}'));
  output(readString(resp));
  return 0;
}

/** Lifecycle export: logs "init ran" at info level. */
export function nd_on_init(): i32 {
  logInfo("init ran");
  return 0;
}

/** One log line at each level, trace to error. */
export function nd_log_levels(): i32 {
  logTrace("level trace");
  logDebug("level debug");
  logInfo("level info");
  logWarn("level warn");
  logError("level error");
  return 0;
}

let spins: i64 = 0;

/** Never returns (the host's timeout / cancellation must stop it). */
export function nd_spin(): i32 {
  while (true) {
    spins++;
  }
  return 0;
}

/**
 * Grows linear memory until memory.grow fails, then traps. Grows in 1 MiB (16-page) steps and then single pages
 * (V8 needs ~70 s to grow to 4 GiB one page at a time, ~4 s this way).
 */
export function nd_grow(): i32 {
  while (memory.grow(16) >= 0) {}
  while (true) {
    if (memory.grow(1) < 0) unreachable();
  }
  return 0;
}

/** abort() ⇒ myAbort: sets the Extism error "abort: deliberate trap at …" and then traps. */
export function nd_trap(): i32 {
  abort("deliberate trap", "test-state/index.ts", 0, 0);
  return 0;
}

/** A bare `unreachable` trap without any error_set. */
export function nd_unreachable(): i32 {
  unreachable();
  return 0;
}

/** Extism built-in http_request GET of input {"url":...}; outputs {"status":N,"body":"..."}. */
export function nd_http(): i32 {
  const req = inputJSON();
  const url = req.str("url");
  if (url.length == 0) {
    setError("missing url");
    return -1;
  }
  const r = httpRequest("GET", url);
  output('{"status":' + r.status.toString() + ',"body":' + q(r.body) + "}");
  return 0;
}

/** {"hex":"<32 hex digits>"} from WASI random_get (16 bytes). */
export function nd_random(): i32 {
  const b = randomBytes(16);
  if (b === null) {
    setError("random_get failed");
    return -1;
  }
  output('{"hex":"' + hex(b) + '"}');
  return 0;
}

/** {"now":<Unix ms>} from the WASI realtime clock (AssemblyScript's Date.now() would import env.Date.now). */
export function nd_time(): i32 {
  const ns = realtimeNanos();
  if (ns < 0) {
    setError("clock_time_get failed");
    return -1;
  }
  output('{"now":' + (ns / 1000000).toString() + "}");
  return 0;
}

/** {"x":N}: a CPU-bound call (an integer hash over `rounds` iterations) for the concurrency benchmark. */
export function nd_burn(): i32 {
  const text = Host.inputString();
  let rounds: i32 = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) rounds = rounds * 10 + (c - 48);
  }
  let x: u32 = 2166136261;
  for (let i = 0; i < rounds; i++) x = (x ^ <u32>i) * 16777619;
  output('{"x":' + x.toString() + "}");
  return 0;
}
