/**
 * The Extism kernel's memory blocks, driven through the very import functions a plugin calls
 * (`extism:host/env` alloc/free/length/load/store), the way worker.mjs wires them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Kernel, KernelError } from "./kernel.mjs";

const MiB = 1024 * 1024;

function kernel(limitBytes = 0) {
  const k = new Kernel({
    config: { key: "value" },
    logLevel: 2,
    limitBytes,
    onLog: () => {},
    http: () => ({ status: 0, headers: new Uint8Array(), body: new Uint8Array() }),
  });
  return { k, env: k.imports() };
}

/** mulberry32: a tiny seeded PRNG, so long runs are reproducible without fast-check's overhead. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Env = ReturnType<typeof kernel>["env"];
interface Live {
  at: number;
  len: number;
  tag: number;
}
const byteOf = (b: Live, i: number) => (b.tag * 31 + i * 7) & 0xff;

function fill(env: Env, b: Live): void {
  let i = 0;
  for (; i + 8 <= b.len; i += 8) {
    let v = 0n;
    for (let j = 7; j >= 0; j--) v = (v << 8n) | BigInt(byteOf(b, i + j));
    env.store_u64(BigInt(b.at + i), v);
  }
  for (; i < b.len; i++) env.store_u8(BigInt(b.at + i), byteOf(b, i));
}

/** Checks a block's length and bytes (every `stride`-th byte, plus the last). */
function check(env: Env, b: Live, stride = 1): void {
  if (env.length(BigInt(b.at)) !== BigInt(b.len)) throw new Error(`block ${b.tag} at ${b.at}: length ${env.length(BigInt(b.at))}, allocated ${b.len}`);
  for (let i = 0; i < b.len; i = i + stride >= b.len && i !== b.len - 1 ? b.len - 1 : i + stride) {
    const got = env.load_u8(BigInt(b.at + i));
    if (got !== byteOf(b, i)) throw new Error(`block ${b.tag} at ${b.at}: byte ${i} is ${got}, wrote ${byteOf(b, i)}`);
  }
}

function assertNoOverlap(live: Iterable<Live>): void {
  const sorted = [...live].sort((x, y) => x.at - y.at);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    if (prev.at + prev.len > sorted[i].at) throw new Error(`blocks overlap: [${prev.at}, +${prev.len}) and [${sorted[i].at}, +${sorted[i].len})`);
  }
}

/**
 * A random alloc/free run. Sizes are mostly small (like PDK strings and JSON), sometimes
 * tens of KiB (host responses); about `target` blocks stay live.
 */
function churn(env: Env, seed: number, ops: number, target: number, onStep?: (i: number, live: Map<number, Live>) => void) {
  const rand = prng(seed);
  const live = new Map<number, Live>();
  let tag = 0;
  for (let i = 0; i < ops; i++) {
    const freeing = live.size > 0 && rand() < live.size / (2 * target);
    if (freeing) {
      const keys = [...live.keys()];
      const at = keys[Math.floor(rand() * keys.length)];
      const b = live.get(at)!;
      check(env, b, 61);
      env.free(BigInt(at));
      live.delete(at);
      if (env.length(BigInt(at)) !== 0n) throw new Error(`freed block at ${at} still has a length`);
    } else {
      const len = rand() < 0.02 ? 1 + Math.floor(rand() * 64 * 1024) : 1 + Math.floor(rand() * 512);
      const at = Number(env.alloc(BigInt(len)));
      if (at <= 0) throw new Error(`alloc(${len}) returned ${at}`);
      const b = { at, len, tag: ++tag };
      for (const other of live.values()) {
        if (at < other.at + other.len && other.at < at + len) throw new Error(`new block [${at}, +${len}) overlaps live [${other.at}, +${other.len})`);
      }
      if (env.length(BigInt(at)) !== BigInt(len)) throw new Error(`new block at ${at}: length ${env.length(BigInt(at))}, asked ${len}`);
      // A block comes back zeroed, even where an earlier block lived (no stale data).
      for (let j = 0; j < len; j += 97) if (env.load_u8(BigInt(at + j)) !== 0) throw new Error(`new block at ${at}: stale byte at ${j}`);
      fill(env, b);
      live.set(at, b);
    }
    onStep?.(i, live);
  }
  return live;
}

describe("Extism kernel memory blocks", () => {
  it("keeps live blocks disjoint, their lengths and their bytes through a long random run", () => {
    const { env } = kernel();
    const live = churn(env, 1, 6000, 150, (i, l) => {
      if (i % 1000 === 999) {
        assertNoOverlap(l.values());
        for (const b of l.values()) check(env, b);
      }
    });
    assertNoOverlap(live.values());
    for (const b of live.values()) check(env, b);
  });

  it("reuses freed memory: steady-state churn stays bounded (no growth per free/alloc cycle)", () => {
    const { k, env } = kernel(64 * MiB);
    let warm = 0;
    churn(env, 2, 15_000, 100, (i) => {
      if (i === 3000) warm = k.mem.length;
    });
    // About 100 live blocks averaging ~1 KiB: a few hundred KiB live at any time. A bump
    // allocator would have consumed ~10 MiB here, and keeps growing with every cycle.
    expect(warm).toBeGreaterThan(0);
    expect(k.mem.length).toBeLessThanOrEqual(Math.max(2 * warm, 4 * MiB));
  });

  it("survives any sequence of alloc / free / double free / bogus free (fast-check, seeded)", () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant("alloc" as const), n: fc.integer({ min: 0, max: 5000 }) }),
      fc.record({ t: fc.constant("free" as const), i: fc.nat() }),
      fc.record({ t: fc.constant("freeAgain" as const), i: fc.nat() }),
      fc.record({ t: fc.constant("bogus" as const), at: fc.integer({ min: 0, max: 200_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const { env } = kernel();
        const live = new Map<number, Live>();
        const freed: number[] = [];
        let tag = 0;
        for (const o of ops) {
          if (o.t === "alloc") {
            const at = Number(env.alloc(BigInt(o.n)));
            if (o.n === 0) {
              expect(at).toBe(0);
              continue;
            }
            const b = { at, len: o.n, tag: ++tag };
            expect(live.has(at)).toBe(false);
            live.set(at, b);
            assertNoOverlap(live.values());
            fill(env, b);
          } else if (o.t === "free" && live.size) {
            const at = [...live.keys()][o.i % live.size];
            env.free(BigInt(at));
            live.delete(at);
            freed.push(at);
          } else if (o.t === "freeAgain" && freed.length) {
            // Freeing twice must not free whatever block now lives there... unless it is that block.
            const at = freed[o.i % freed.length];
            if (!live.has(at)) env.free(BigInt(at));
          } else if (o.t === "bogus") {
            // Not a block start (or not a block at all): ignored, as Extism ignores it.
            if (![...live.values()].some((b) => b.at === o.at)) env.free(BigInt(o.at));
          }
        }
        for (const b of live.values()) check(env, b);
      }),
      { seed: 7, numRuns: 60 },
    );
  });

  it("answers length 0 for offset 0, interior offsets and freed blocks", () => {
    const { env } = kernel();
    const a = env.alloc(100n);
    expect(env.length(0n)).toBe(0n);
    expect(env.length(a + 1n)).toBe(0n);
    expect(env.length_unsafe(a)).toBe(100n);
    env.free(a);
    expect(env.length(a)).toBe(0n);
    expect(env.alloc(0n)).toBe(0n);
    env.free(0n); // no-op
  });

  it("gives a new call zeroed memory: nothing of the previous call is readable", () => {
    const { k, env } = kernel();
    const a = env.alloc(64n);
    for (let i = 0; i < 64; i++) env.store_u8(a + BigInt(i), 0xaa);
    k.reset(new Uint8Array());
    const b = env.alloc(64n);
    for (let i = 0; i < 64; i++) expect(env.load_u8(b + BigInt(i))).toBe(0);
  });

  it("refuses accesses past the allocated memory and allocations past the limit", () => {
    const { k, env } = kernel(MiB);
    const a = env.alloc(16n);
    expect(() => env.load_u64(a + 1_000_000n)).toThrow(KernelError);
    expect(() => env.store_u8(-1n, 1)).toThrow(KernelError);
    expect(() => env.alloc(BigInt(2 * MiB))).toThrow(/out of memory/);
    // The failed allocation left the kernel usable.
    const b = env.alloc(32n);
    expect(env.length(b)).toBe(32n);
    expect(k.mem.length).toBeLessThanOrEqual(MiB);
  });

  it("makes the input the first block of a call and serves it through the input functions", () => {
    const { k, env } = kernel();
    k.reset(new TextEncoder().encode("hello, kernel"));
    const at = env.input_offset();
    expect(env.input_length()).toBe(13n);
    expect(env.length(at)).toBe(13n);
    expect(env.input_load_u8(0n)).toBe(104);
    expect(env.input_load_u64(5n)).toBe(new DataView(new TextEncoder().encode("hello, kernel").buffer).getBigUint64(5, true));
    expect(() => env.input_load_u64(6n)).toThrow(KernelError);
  });
});
