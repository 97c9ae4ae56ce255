// Extism memory, input and output, and the kernel's config and log functions.
//
// Everything that crosses into Extism memory is UTF-8. @extism/as-pdk 1.0.0's
// `Host.outputString` sizes its block by the UTF-16 length and so cuts non-ASCII text short;
// the helpers here always size blocks by the encoded byte count.
import { alloc, config_get, error_set, input_length, input_load_u64, input_load_u8, length, load_u64, load_u8, log_debug, log_error, log_info, log_warn, output_set, store_u64, store_u8 } from "@extism/as-pdk/lib/env";

// as-pdk 1.0.0 does not declare these kernel functions.
@external("extism:host/env", "log_trace")
declare function log_trace(offset: u64): void;

/** The UTF-8 encoding of `s`. */
export function utf8(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

/** Copies `bytes` into a new Extism memory block and answers its offset. */
export function allocBytes(bytes: Uint8Array): u64 {
  const n = bytes.length;
  const offset = alloc(<u64>n);
  let i = 0;
  for (; i + 8 <= n; i += 8) store_u64(offset + <u64>i, load<u64>(bytes.dataStart + <usize>i));
  for (; i < n; i++) store_u8(offset + <u64>i, bytes[i]);
  return offset;
}

export function allocString(s: string): u64 {
  return allocBytes(utf8(s));
}

/** The bytes of an Extism memory block (empty for offset 0). */
export function readBytes(offset: u64): Uint8Array {
  if (offset == 0) return new Uint8Array(0);
  const n = <i32>length(offset);
  const out = new Uint8Array(n);
  let i = 0;
  for (; i + 8 <= n; i += 8) store<u64>(out.dataStart + <usize>i, load_u64(offset + <u64>i));
  for (; i < n; i++) out[i] = load_u8(offset + <u64>i);
  return out;
}

export function readString(offset: u64): string {
  return String.UTF8.decode(readBytes(offset).buffer);
}

/** The call's input bytes. */
export function inputBytes(): Uint8Array {
  const n = <i32>input_length();
  const out = new Uint8Array(n);
  let i = 0;
  for (; i + 8 <= n; i += 8) store<u64>(out.dataStart + <usize>i, input_load_u64(<u64>i));
  for (; i < n; i++) out[i] = input_load_u8(<u64>i);
  return out;
}

export function inputString(): string {
  return String.UTF8.decode(inputBytes().buffer);
}

export function outputBytes(bytes: Uint8Array): void {
  output_set(allocBytes(bytes), <u64>bytes.length);
}

/** Sets the call's output to the UTF-8 encoding of `s`. */
export function outputString(s: string): void {
  outputBytes(utf8(s));
}

/** Sets the Extism error of this call; the host then reports `plugin call failed: <message>`. */
export function setError(message: string): void {
  error_set(allocString(message));
}

/**
 * The plugin's configuration as the admin saved it (contract §2.9): one entry per top-level
 * key; strings as they are, every other JSON value as its compact JSON text (`3`, `true`,
 * `[{"a":1}]`). Nothing is filled in from the schema's defaults.
 */
export class Config {
  /** The raw value, or null when the key was not saved. */
  static get(key: string): string | null {
    const offset = config_get(allocString(key));
    if (offset == 0) return null;
    return readString(offset);
  }

  static has(key: string): bool {
    return Config.get(key) !== null;
  }

  /** The value, or `fallback` when the key is missing or empty. */
  static getString(key: string, fallback: string = ""): string {
    const v = Config.get(key);
    return v === null || v.length == 0 ? fallback : v;
  }

  /** A base-10 integer value, or `fallback` when missing or not an integer. */
  static getInt(key: string, fallback: i64 = 0): i64 {
    const v = Config.get(key);
    if (v === null) return fallback;
    const parsed = parseInteger(v.trim());
    return parsed.ok ? parsed.value : fallback;
  }

  /** `true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off` (any case), else `fallback`. */
  static getBool(key: string, fallback: bool = false): bool {
    const v = Config.get(key);
    if (v === null) return fallback;
    const s = v.trim().toLowerCase();
    if (s == "true" || s == "1" || s == "yes" || s == "on" || s == "t") return true;
    if (s == "false" || s == "0" || s == "no" || s == "off" || s == "f") return false;
    return fallback;
  }
}

export class ParsedInt {
  ok: bool = false;
  value: i64 = 0;
}

/** A strict base-10 integer parse (`+3`, `-3`; not `3.0`, ` 3`, `0x10`). */
export function parseInteger(s: string): ParsedInt {
  const r = new ParsedInt();
  let i = 0;
  let negative = false;
  if (s.length > 0 && (s.charCodeAt(0) == 0x2b || s.charCodeAt(0) == 0x2d)) {
    negative = s.charCodeAt(0) == 0x2d;
    i = 1;
  }
  if (i >= s.length) return r;
  let v: i64 = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return r;
    v = v * 10 + <i64>(c - 0x30);
  }
  r.ok = true;
  r.value = negative ? -v : v;
  return r;
}

/** The plugin's log, shown on its admin page and in the server log with `plugin=<id>`. */
export class Log {
  static trace(message: string): void {
    log_trace(allocString(message));
  }
  static debug(message: string): void {
    log_debug(allocString(message));
  }
  static info(message: string): void {
    log_info(allocString(message));
  }
  static warn(message: string): void {
    log_warn(allocString(message));
  }
  static error(message: string): void {
    log_error(allocString(message));
  }
}

/**
 * Body of the `myAbort` every plugin declares (the build passes `--use abort=index/myAbort`).
 * A trap loses the Extism error on most hosts, so the reason is logged first, then set as the
 * error, then the call traps. Report expected failures with `fail()` instead: it returns.
 */
export function handleAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let text = message !== null ? message : "abort";
  if (fileName !== null) text += " at " + fileName + ":" + line.toString() + ":" + column.toString();
  Log.error(text);
  setError(text);
  unreachable();
}
