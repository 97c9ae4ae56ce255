// Shared helpers for the AssemblyScript test plugins (compiled with @extism/as-pdk 1.0.0).
//
// Why this exists: as-pdk 1.0.0's Host.outputString() allocates `s.length` bytes (UTF-16 code units) but writes
// the UTF-8 encoding, so any non-ASCII output is truncated. Every plugin here writes output through `output()`
// below, which sizes the block by the UTF-8 byte count.
//
// Note: AssemblyScript's Date.now() and Math.random() import from module "env", which an Extism host does not
// provide, so the plugins use the WASI clock/random functions declared here instead.
import { Config, Host, Memory } from "@extism/as-pdk";
import { error_set, length, log_debug, log_error, log_info, log_warn } from "@extism/as-pdk/lib/env";

// ---- Extism kernel functions that as-pdk 1.0.0 does not declare -------------------------------------------------

@external("extism:host/env", "log_trace")
declare function log_trace(offset: u64): void;

@external("extism:host/env", "get_log_level")
export declare function get_log_level(): i32;

@external("extism:host/env", "http_request")
declare function http_request(req: u64, body: u64): u64;

@external("extism:host/env", "http_status_code")
declare function http_status_code(): i32;

// ---- WASI --------------------------------------------------------------------------------------------------------

@external("wasi_snapshot_preview1", "random_get")
declare function wasi_random_get(buf: usize, len: usize): u16;

@external("wasi_snapshot_preview1", "clock_time_get")
declare function wasi_clock_time_get(id: u32, precision: u64, out: usize): u16;

/** `n` bytes from WASI random_get (null when the call fails). */
export function randomBytes(n: i32): Uint8Array | null {
  const buf = new Uint8Array(n);
  const errno = wasi_random_get(buf.dataStart, <usize>n);
  if (errno != 0) return null;
  return buf;
}

/** WASI realtime clock in nanoseconds since the Unix epoch (-1 on failure). */
export function realtimeNanos(): i64 {
  const out = new Uint64Array(1);
  const errno = wasi_clock_time_get(0, 1000, out.dataStart);
  if (errno != 0) return -1;
  return <i64>out[0];
}

export function hex(bytes: Uint8Array): string {
  const digits = "0123456789abcdef";
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = <i32>bytes[i];
    s += digits.charAt(b >> 4) + digits.charAt(b & 15);
  }
  return s;
}

// ---- Memory / input / output -------------------------------------------------------------------------------------

export function utf8(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

/** Sets the Extism output to the UTF-8 encoding of `s` (correct for non-ASCII text). */
export function output(s: string): void {
  Host.output(utf8(s));
}

export function inputString(): string {
  return Host.inputString();
}

/** Allocates an Extism memory block holding the UTF-8 encoding of `s` and returns its offset. */
export function allocString(s: string): u64 {
  return Memory.allocateBytes(utf8(s)).offset;
}

/** Reads an Extism memory block as UTF-8 text ("" for offset 0). */
export function readString(offset: u64): string {
  if (offset == 0) return "";
  return new Memory(offset, length(offset)).toString();
}

/** Sets the Extism error message (the host reports it as `plugin call failed: <msg>`). */
export function setError(msg: string): void {
  error_set(allocString(msg));
}

/** The value of Extism config key `key`, or "" when missing. */
export function configString(key: string): string {
  const v = Config.get(key);
  return v === null ? "" : v;
}

/** True when config key `key` is present (even if empty). */
export function configHas(key: string): bool {
  return Config.get(key) !== null;
}

/**
 * Standard config "error" check used by several plugins: when config key `error` is set (non-empty), sets it as the
 * Extism error and returns true (the export then returns -1).
 */
export function failFromConfig(): bool {
  const e = configString("error");
  if (e.length == 0) return false;
  setError(e);
  return true;
}

// ---- Logging -----------------------------------------------------------------------------------------------------

export function logTrace(s: string): void { log_trace(allocString(s)); }
export function logDebug(s: string): void { log_debug(allocString(s)); }
export function logInfo(s: string): void { log_info(allocString(s)); }
export function logWarn(s: string): void { log_warn(allocString(s)); }
export function logError(s: string): void { log_error(allocString(s)); }

// ---- Abort -------------------------------------------------------------------------------------------------------

/** Body of every plugin's `myAbort`: report the message through error_set, then trap. */
export function abortWithError(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let msg = "abort: ";
  if (message !== null) msg += message;
  if (fileName !== null) msg += " at " + fileName + ":" + line.toString() + ":" + column.toString();
  setError(msg);
  unreachable();
}

// ---- Extism built-in HTTP ----------------------------------------------------------------------------------------

export class HttpResult {
  status: i32 = 0;
  body: string = "";
}

/** Extism kernel http_request (governed by the manifest's allowed_hosts). */
export function httpRequest(method: string, url: string): HttpResult {
  const req = '{"method":' + q(method) + ',"url":' + q(url) + ',"headers":{}}';
  const off = http_request(allocString(req), 0);
  const r = new HttpResult();
  r.status = http_status_code();
  r.body = readString(off);
  return r;
}

// ---- JSON --------------------------------------------------------------------------------------------------------

/** JSON-quotes a string (non-ASCII characters are kept as-is and UTF-8 encoded on output). */
export function q(s: string): string {
  let out = '"';
  const hexDigits = "0123456789abcdef";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x22) out += '\\"';
    else if (c == 0x5c) out += "\\\\";
    else if (c == 0x0a) out += "\\n";
    else if (c == 0x0d) out += "\\r";
    else if (c == 0x09) out += "\\t";
    else if (c < 0x20) out += "\\u00" + hexDigits.charAt(c >> 4) + hexDigits.charAt(c & 15);
    else out += String.fromCharCode(c);
  }
  return out + '"';
}

export const J_NULL: i32 = 0;
export const J_BOOL: i32 = 1;
export const J_NUM: i32 = 2;
export const J_STR: i32 = 3;
export const J_ARR: i32 = 4;
export const J_OBJ: i32 = 5;

/** A parsed JSON value. */
export class JValue {
  kind: i32 = J_NULL;
  b: bool = false;
  n: f64 = 0;
  s: string = "";
  items: JValue[] = [];
  keys: string[] = [];
  vals: JValue[] = [];

  get(key: string): JValue | null {
    if (this.kind != J_OBJ) return null;
    for (let i = this.keys.length - 1; i >= 0; i--) {
      if (this.keys[i] == key) return this.vals[i];
    }
    return null;
  }

  has(key: string): bool {
    return this.get(key) !== null;
  }

  /** String field (or `def` when missing / not a string). */
  str(key: string, def: string = ""): string {
    const v = this.get(key);
    if (v === null || v.kind != J_STR) return def;
    return v.s;
  }

  /** Numeric field truncated to i64 (or `def`). */
  int(key: string, def: i64 = 0): i64 {
    const v = this.get(key);
    if (v === null || v.kind != J_NUM) return def;
    return <i64>v.n;
  }

  bool(key: string, def: bool = false): bool {
    const v = this.get(key);
    if (v === null || v.kind != J_BOOL) return def;
    return v.b;
  }

  /** Object field (an empty object when missing). */
  obj(key: string): JValue {
    const v = this.get(key);
    if (v === null || v.kind != J_OBJ) {
      const e = new JValue();
      e.kind = J_OBJ;
      return e;
    }
    return v;
  }
}

class JParser {
  s: string;
  i: i32 = 0;
  failed: bool = false;

  constructor(s: string) {
    this.s = s;
  }

  ws(): void {
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d) this.i++;
      else break;
    }
  }

  fail(): JValue {
    this.failed = true;
    return new JValue();
  }

  lit(word: string): bool {
    if (this.s.substr(this.i, word.length) == word) {
      this.i += word.length;
      return true;
    }
    return false;
  }

  value(): JValue {
    this.ws();
    if (this.i >= this.s.length) return this.fail();
    const c = this.s.charCodeAt(this.i);
    const v = new JValue();
    if (c == 0x7b) {
      // {
      v.kind = J_OBJ;
      this.i++;
      this.ws();
      if (this.i < this.s.length && this.s.charCodeAt(this.i) == 0x7d) {
        this.i++;
        return v;
      }
      while (!this.failed) {
        this.ws();
        if (this.i >= this.s.length || this.s.charCodeAt(this.i) != 0x22) return this.fail();
        const k = this.string();
        this.ws();
        if (this.i >= this.s.length || this.s.charCodeAt(this.i) != 0x3a) return this.fail();
        this.i++;
        const item = this.value();
        v.keys.push(k);
        v.vals.push(item);
        this.ws();
        if (this.i >= this.s.length) return this.fail();
        const d = this.s.charCodeAt(this.i++);
        if (d == 0x7d) break;
        if (d != 0x2c) return this.fail();
      }
      return v;
    }
    if (c == 0x5b) {
      // [
      v.kind = J_ARR;
      this.i++;
      this.ws();
      if (this.i < this.s.length && this.s.charCodeAt(this.i) == 0x5d) {
        this.i++;
        return v;
      }
      while (!this.failed) {
        v.items.push(this.value());
        this.ws();
        if (this.i >= this.s.length) return this.fail();
        const d = this.s.charCodeAt(this.i++);
        if (d == 0x5d) break;
        if (d != 0x2c) return this.fail();
      }
      return v;
    }
    if (c == 0x22) {
      v.kind = J_STR;
      v.s = this.string();
      return v;
    }
    if (this.lit("true")) {
      v.kind = J_BOOL;
      v.b = true;
      return v;
    }
    if (this.lit("false")) {
      v.kind = J_BOOL;
      return v;
    }
    if (this.lit("null")) return v;
    // number
    const start = this.i;
    while (this.i < this.s.length) {
      const d = this.s.charCodeAt(this.i);
      if ((d >= 0x30 && d <= 0x39) || d == 0x2d || d == 0x2b || d == 0x2e || d == 0x65 || d == 0x45) this.i++;
      else break;
    }
    if (this.i == start) return this.fail();
    v.kind = J_NUM;
    v.n = parseFloat(this.s.substring(start, this.i));
    return v;
  }

  hex4(): i32 {
    if (this.i + 4 > this.s.length) {
      this.failed = true;
      return 0;
    }
    let r = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.s.charCodeAt(this.i++);
      r <<= 4;
      if (c >= 0x30 && c <= 0x39) r |= c - 0x30;
      else if (c >= 0x61 && c <= 0x66) r |= c - 0x61 + 10;
      else if (c >= 0x41 && c <= 0x46) r |= c - 0x41 + 10;
      else this.failed = true;
    }
    return r;
  }

  string(): string {
    this.i++; // opening quote
    let out = "";
    let runStart = this.i;
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c == 0x22) {
        out += this.s.substring(runStart, this.i);
        this.i++;
        return out;
      }
      if (c == 0x5c) {
        out += this.s.substring(runStart, this.i);
        this.i++;
        if (this.i >= this.s.length) break;
        const e = this.s.charCodeAt(this.i++);
        if (e == 0x6e) out += "\n";
        else if (e == 0x74) out += "\t";
        else if (e == 0x72) out += "\r";
        else if (e == 0x62) out += "\b";
        else if (e == 0x66) out += "\f";
        else if (e == 0x75) out += String.fromCharCode(this.hex4());
        else out += String.fromCharCode(e); // \" \\ \/
        runStart = this.i;
        continue;
      }
      this.i++;
    }
    this.failed = true;
    return out;
  }
}

/** Parses JSON text; returns null when it is not valid JSON. */
export function parseJSON(s: string): JValue | null {
  const p = new JParser(s);
  const v = p.value();
  p.ws();
  if (p.failed || p.i != s.length) return null;
  return v;
}

/** Parses the Extism input as a JSON object (an empty object when the input is empty or invalid). */
export function inputJSON(): JValue {
  const v = parseJSON(inputString());
  if (v === null || v.kind != J_OBJ) {
    const e = new JValue();
    e.kind = J_OBJ;
    return e;
  }
  return v;
}

/**
 * Parses the Extism input as a JSON object. On invalid input sets an Extism error (like the Go PDK's decode error
 * path) and returns null, in which case the export should return -1.
 */
export function requestOrError(): JValue | null {
  const text = inputString();
  const v = parseJSON(text);
  if (v === null || v.kind != J_OBJ) {
    setError("failed to parse input JSON: " + text);
    return null;
  }
  return v;
}

// ---- Raw forwarders (test-cache, test-kvstore, test-http, test-users, test-storage) ----------------------------

/** The input of a raw forwarder: `<host function>\n<request JSON>`, the request as a kernel block. */
export class ForwardedCall {
  constructor(
    public fn: string,
    public request: u64,
  ) {}
}

export function readForwardedCall(): ForwardedCall {
  const input = Host.input();
  let nl = input.indexOf(10);
  if (nl < 0) nl = input.length;
  const fn = String.UTF8.decode(input.slice(0, nl).buffer);
  return new ForwardedCall(fn, Memory.allocateBytes(input.slice(nl < input.length ? nl + 1 : nl)).offset);
}

/** Outputs a host function's response block untouched (nothing for a 0 offset); answers the export's return code. */
export function outputHostResponse(resp: u64): i32 {
  if (resp != 0) Host.outputMemory(new Memory(resp, length(resp)));
  return 0;
}

/** The error of a forwarder asked for a function it does not know. */
export function unknownHostFunction(fn: string): i32 {
  setError("unknown host function: " + fn);
  return -1;
}
