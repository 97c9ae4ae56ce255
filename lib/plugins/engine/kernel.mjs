// @ts-check
// The Extism kernel (`extism:host/env`) for one plugin instance, reset before every call.
//
// Extism keeps plugin-visible data (input, output, error, blocks allocated by the PDK)
// in a memory outside the plugin's linear memory, addressed by 64-bit offsets. Here that
// memory is one growable byte array: blocks are carved from the top, `free` returns them
// to a free list (coalesced, first fit), and the next call starts from an empty arena.
// Reuse matters because a call may alloc/free without end (a plugin calling a host
// function in a loop), as Extism's own kernel allows. Offset 0 is the null block. Blocks
// are tracked in a map so `length` answers 0 for anything that is not a live block start,
// as Extism does. A block comes back zeroed: no call sees an earlier call's bytes.

import { LOG_LEVELS, LOG_OFF } from "./protocol.mjs";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const VAR_BYTES_LIMIT = 1024 * 1024; // Extism's default var store size

export class KernelError extends Error {}

export class Kernel {
  /**
   * @param {{
   *   config: Record<string, string>,
   *   logLevel: number,
   *   limitBytes: number,
   *   onLog: (level: string, message: string) => void,
   *   http: (request: Uint8Array, body: Uint8Array | null) => { status: number, headers: Uint8Array, body: Uint8Array },
   * }} opts
   */
  constructor(opts) {
    this.config = opts.config;
    this.logLevel = opts.logLevel;
    this.limitBytes = opts.limitBytes;
    this.onLog = opts.onLog;
    this.http = opts.http;
    this.mem = new Uint8Array(64 * 1024);
    this.view = new DataView(this.mem.buffer);
    /** @type {Map<number, number>} block start → length */
    this.blocks = new Map();
    /** @type {Map<number, number>} free span start → size (multiple of 8, below `top`) */
    this.freeStarts = new Map();
    /** @type {Map<number, number>} free span end → start, to coalesce with the span before */
    this.freeEnds = new Map();
    /** Bytes below this offset may hold data of an earlier block (or call): zeroed on reuse. */
    this.dirty = 0;
    /** @type {Map<string, Uint8Array>} */
    this.vars = new Map();
    this.varBytes = 0;
    /** @type {number} */ this.top = 8;
    /** @type {number} */ this.outputOffset = 0;
    /** @type {number} */ this.outputLength = 0;
    /** @type {number} */ this.errorOffset = 0;
    /** @type {number} */ this.httpStatus = 0;
    /** @type {Uint8Array | null} */ this.httpHeaders = null;
    /** @type {number} */ this.inputLength = 0;
    /** @type {number} */ this.inputOffset = 0;
    this.reset(new Uint8Array(0));
  }

  /** Starts a call: empty arena, the input as the first block, no output, no error, no vars. */
  reset(/** @type {Uint8Array} */ input) {
    this.top = 8;
    this.blocks.clear();
    this.freeStarts.clear();
    this.freeEnds.clear();
    this.vars.clear();
    this.varBytes = 0;
    this.outputOffset = 0;
    this.outputLength = 0;
    this.errorOffset = 0;
    this.httpStatus = 0;
    this.httpHeaders = null;
    this.inputLength = input.length;
    this.inputOffset = input.length ? this.allocBytes(input) : 0;
  }

  /** @param {number} n @param {boolean} [zero] false when the caller overwrites all n bytes */
  alloc(n, zero = true) {
    if (n <= 0) return 0;
    const size = Math.ceil(n / 8) * 8;
    for (const [at, spanSize] of this.freeStarts) {
      if (spanSize < size) continue;
      this.takeFree(at);
      if (spanSize > size) this.addFree(at + size, spanSize - size);
      if (zero) this.mem.fill(0, at, at + n);
      this.blocks.set(at, n);
      return at;
    }
    /** @type {number} */
    const start = this.top;
    const end = start + n;
    if (end > this.mem.length) this.grow(end);
    if (zero && start < this.dirty) this.mem.fill(0, start, Math.min(end, this.dirty));
    this.top = start + size;
    this.dirty = Math.max(this.dirty, this.top);
    this.blocks.set(start, n);
    return start;
  }

  /** Returns a block to the free list, merging it with free neighbours; unknown offsets are ignored. */
  free(/** @type {number} */ at) {
    const n = this.blocks.get(at);
    if (n === undefined) return;
    this.blocks.delete(at);
    let start = at;
    let size = Math.ceil(n / 8) * 8;
    const after = this.freeStarts.get(start + size);
    if (after !== undefined) {
      this.takeFree(start + size);
      size += after;
    }
    const before = this.freeEnds.get(start);
    if (before !== undefined) {
      size += start - before;
      this.takeFree(before);
      start = before;
    }
    if (start + size === this.top) this.top = start;
    else this.addFree(start, size);
  }

  /** @param {number} at @param {number} size */
  addFree(at, size) {
    this.freeStarts.set(at, size);
    this.freeEnds.set(at + size, at);
  }

  /** @param {number} at */
  takeFree(at) {
    const size = /** @type {number} */ (this.freeStarts.get(at));
    this.freeStarts.delete(at);
    this.freeEnds.delete(at + size);
  }

  /** @param {number} needed */
  grow(needed) {
    if (this.limitBytes && needed > this.limitBytes) throw new KernelError(`out of memory: the plugin's Extism memory would exceed ${this.limitBytes} bytes`);
    let size = this.mem.length;
    while (size < needed) size *= 2;
    if (this.limitBytes) size = Math.min(size, this.limitBytes);
    const mem = new Uint8Array(size);
    mem.set(this.mem);
    this.mem = mem;
    this.view = new DataView(mem.buffer);
  }

  /** @param {Uint8Array} bytes */
  allocBytes(bytes) {
    const at = this.alloc(bytes.length, false);
    if (at) this.mem.set(bytes, at);
    return at;
  }

  /** @param {number} at */
  block(at) {
    const len = this.blocks.get(at);
    if (len === undefined) return null;
    return this.mem.subarray(at, at + len);
  }

  /** @param {bigint} addr @param {string} what */
  blockOrThrow(addr, what) {
    const b = this.block(Number(addr));
    if (!b) throw new KernelError(`${what}: invalid memory block offset ${addr}`);
    return b;
  }

  /** @param {number} at @param {number} len */
  checkRange(at, len) {
    if (at < 0 || at + len > this.top) throw new KernelError(`memory access out of bounds at offset ${at}`);
  }

  output() {
    return this.mem.slice(this.outputOffset, this.outputOffset + this.outputLength);
  }

  /** @returns {string | null} */
  error() {
    if (!this.errorOffset) return null;
    const b = this.block(this.errorOffset);
    return b ? decoder.decode(b) : null;
  }

  /** The `extism:host/env` import object. */
  imports() {
    const k = this;
    /** @param {string} level */
    const logAt = (level) => {
      const priority = LOG_LEVELS.indexOf(/** @type {any} */ (level));
      return (/** @type {bigint} */ addr) => {
        const b = k.block(Number(addr));
        if (!b || priority < k.logLevel) return;
        k.onLog(level, decoder.decode(b));
      };
    };
    return {
      alloc: (/** @type {bigint} */ n) => BigInt(k.alloc(Number(n))),
      free: (/** @type {bigint} */ addr) => k.free(Number(addr)),
      length: (/** @type {bigint} */ addr) => BigInt(k.blocks.get(Number(addr)) ?? 0),
      length_unsafe: (/** @type {bigint} */ addr) => BigInt(k.blocks.get(Number(addr)) ?? 0),
      load_u8: (/** @type {bigint} */ addr) => {
        const at = Number(addr);
        k.checkRange(at, 1);
        return k.mem[at];
      },
      load_u64: (/** @type {bigint} */ addr) => {
        const at = Number(addr);
        k.checkRange(at, 8);
        return k.view.getBigUint64(at, true);
      },
      store_u8: (/** @type {bigint} */ addr, /** @type {number} */ v) => {
        const at = Number(addr);
        k.checkRange(at, 1);
        k.mem[at] = v;
      },
      store_u64: (/** @type {bigint} */ addr, /** @type {bigint} */ v) => {
        const at = Number(addr);
        k.checkRange(at, 8);
        k.view.setBigUint64(at, v, true);
      },
      input_offset: () => BigInt(k.inputOffset),
      input_length: () => BigInt(k.inputLength),
      input_load_u8: (/** @type {bigint} */ i) => {
        const at = Number(i);
        if (at < 0 || at >= k.inputLength) throw new KernelError(`input read out of bounds at ${at}`);
        return k.mem[k.inputOffset + at];
      },
      input_load_u64: (/** @type {bigint} */ i) => {
        const at = Number(i);
        if (at < 0 || at + 8 > k.inputLength) throw new KernelError(`input read out of bounds at ${at}`);
        return k.view.getBigUint64(k.inputOffset + at, true);
      },
      output_set: (/** @type {bigint} */ addr, /** @type {bigint} */ len) => {
        const at = Number(addr);
        const n = Number(len);
        if (n === 0) {
          k.outputOffset = 0;
          k.outputLength = 0;
          return;
        }
        k.checkRange(at, n);
        k.outputOffset = at;
        k.outputLength = n;
      },
      error_set: (/** @type {bigint} */ addr) => {
        k.errorOffset = Number(addr);
      },
      error_get: () => BigInt(k.errorOffset),
      config_get: (/** @type {bigint} */ addr) => {
        const key = decoder.decode(k.blockOrThrow(addr, "config_get"));
        if (!Object.hasOwn(k.config, key)) return 0n;
        return BigInt(k.allocBytes(encoder.encode(k.config[key])));
      },
      var_get: (/** @type {bigint} */ addr) => {
        const key = decoder.decode(k.blockOrThrow(addr, "var_get"));
        const v = k.vars.get(key);
        return v ? BigInt(k.allocBytes(v)) : 0n;
      },
      var_set: (/** @type {bigint} */ addr, /** @type {bigint} */ valueAddr) => {
        const key = decoder.decode(k.blockOrThrow(addr, "var_set"));
        const old = k.vars.get(key);
        if (old) k.varBytes -= old.length;
        if (valueAddr === 0n) {
          k.vars.delete(key);
          return;
        }
        const value = k.blockOrThrow(valueAddr, "var_set").slice();
        if (k.varBytes + value.length > VAR_BYTES_LIMIT) throw new KernelError("variable store is full");
        k.vars.set(key, value);
        k.varBytes += value.length;
      },
      http_request: (/** @type {bigint} */ reqAddr, /** @type {bigint} */ bodyAddr) => {
        const req = k.blockOrThrow(reqAddr, "http_request");
        const body = bodyAddr === 0n ? null : k.block(Number(bodyAddr));
        const res = k.http(req, body);
        k.httpStatus = res.status;
        k.httpHeaders = res.headers;
        return BigInt(k.allocBytes(res.body));
      },
      http_status_code: () => k.httpStatus,
      http_headers: () => (k.httpHeaders ? BigInt(k.allocBytes(k.httpHeaders)) : 0n),
      log_trace: logAt("trace"),
      log_debug: logAt("debug"),
      log_info: logAt("info"),
      log_warn: logAt("warn"),
      log_error: logAt("error"),
      get_log_level: () => (k.logLevel >= LOG_LEVELS.length ? LOG_OFF : k.logLevel),
    };
  }
}
