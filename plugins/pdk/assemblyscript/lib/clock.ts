// Time and randomness from WASI. AssemblyScript's own `Date.now()` and `Math.random()` import
// from module `env`, which an Extism host does not provide, so use these instead.

@external("wasi_snapshot_preview1", "clock_time_get")
declare function clock_time_get(id: u32, precision: u64, out: usize): u16;

@external("wasi_snapshot_preview1", "random_get")
declare function random_get(buf: usize, len: usize): u16;

const REALTIME: u32 = 0;

export class Time {
  /** Unix time in nanoseconds (0 if the clock is unavailable). */
  static nowNanos(): i64 {
    const out = new Uint64Array(1);
    if (clock_time_get(REALTIME, 1000, out.dataStart) != 0) return 0;
    return <i64>out[0];
  }

  /** Unix time in milliseconds. */
  static nowMillis(): i64 {
    return Time.nowNanos() / 1_000_000;
  }

  /** Unix time in seconds. */
  static nowSeconds(): i64 {
    return Time.nowNanos() / 1_000_000_000;
  }
}

export class Random {
  /** `n` cryptographically secure random bytes. */
  static bytes(n: i32): Uint8Array {
    const buf = new Uint8Array(n);
    if (n > 0) random_get(buf.dataStart, <usize>n);
    return buf;
  }

  /** A random integer in [0, bound). */
  static below(bound: u32): u32 {
    if (bound == 0) return 0;
    const b = Random.bytes(4);
    return load<u32>(b.dataStart) % bound;
  }

  /** A random identifier of `length` hexadecimal digits. */
  static hex(length: i32 = 16): string {
    const digits = "0123456789abcdef";
    const b = Random.bytes((length + 1) / 2);
    let s = "";
    for (let i = 0; i < length; i++) s += digits.charAt((i & 1) == 0 ? b[i >> 1] >> 4 : b[i >> 1] & 15);
    return s;
  }
}
