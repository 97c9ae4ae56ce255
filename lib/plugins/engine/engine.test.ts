import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, EngineAbortError, EngineLoadError, EngineTimeoutError, EngineTrapError, type EngineModule, type LoadOptions } from "./index";

const wasm = (name: string) => new Uint8Array(readFileSync(path.join(import.meta.dirname, "../../../build/plugins", `${name}.wasm`)));
const enc = new TextEncoder();
const dec = new TextDecoder();
const text = (b: Uint8Array) => dec.decode(b);

const base: LoadOptions = { name: "t", hostFunctions: {}, config: {}, allowedHosts: [], logLevel: "info", timeoutMs: 5000, memoryLimitBytes: 64 * 1024 * 1024 };

let engine: Engine;
beforeAll(() => {
  engine = new Engine({ workers: 2 });
});
afterAll(async () => {
  await engine.close();
});

describe("return codes and error precedence (contract §2.4)", () => {
  let m: EngineModule;
  beforeAll(async () => {
    m = await engine.load(wasm("wat-return-codes"), base);
  });

  it("reads the export's own return code, which the stock SDK hides", async () => {
    expect((await m.call("ret_minus2", enc.encode("{}"))).code).toBe(-2);
    expect((await m.call("ret_minus1", enc.encode("{}"))).code).toBe(-1);
    expect((await m.call("ret_7", enc.encode("{}"))).code).toBe(7);
  });

  it("reports an error_set message even when the export returned 0", async () => {
    const r = await m.call("error_with_zero", enc.encode("{}"));
    expect(r.code).toBe(0);
    expect(r.error).toBe("boom");
  });

  it("keeps output bytes exactly and distinguishes empty output", async () => {
    expect(text((await m.call("output_string", EMPTY)).output)).toBe('"hello"');
    expect(text((await m.call("output_null", EMPTY)).output)).toBe("null");
    const r = await m.call("ok_empty", EMPTY);
    expect(r.output.length).toBe(0);
    expect(r.error).toBeNull();
  });

  it("lists exports and answers hasExport without calling", () => {
    expect(m.hasExport("ret_7")).toBe(true);
    expect(m.hasExport("nd_nope")).toBe(false);
    expect(m.exports).toContain("nd_get_artist_mbid");
  });
});

const EMPTY = new Uint8Array(0);

describe("fresh instance per call (contract §2.2)", () => {
  it("restores globals, memory and vars between calls (AssemblyScript plugin)", async () => {
    const m = await engine.load(wasm("test-state"), { ...base, hostFunctions: { cache_getstring: () => enc.encode("{}") } });
    for (let i = 0; i < 5; i++) expect(JSON.parse(text((await m.call("nd_counter", EMPTY)).output))).toEqual({ global: 1, var: 1 });
    expect(m.mode).toBe("snapshot");
  });

  it("runs _initialize for every instance (WASI reactor style)", async () => {
    const m = await engine.load(wasm("wat-initialize"), base);
    expect(JSON.parse(text((await m.call("get_global", EMPTY)).output))).toEqual({ g: 42 });
    for (let i = 0; i < 3; i++) expect(JSON.parse(text((await m.call("bump", EMPTY)).output))).toEqual({ g: 43 });
  });

  it("gives a new instance per call when initialisation draws random numbers", async () => {
    const m = await engine.load(wasm("wat-init-random"), base);
    expect(m.mode).toBe("fresh");
    const seeds = new Set<string>();
    for (let i = 0; i < 5; i++) seeds.add(Buffer.from((await m.call("seed", EMPTY)).output).toString("hex"));
    expect(seeds.size).toBe(5);
  });

  it("provides WASI with a real wall clock and secure random", async () => {
    const m = await engine.load(wasm("wat-reactor"), base);
    const r = await m.call("nd_wasi", EMPTY);
    expect(r.code).toBe(0);
    expect(JSON.parse(text(r.output))).toEqual({ ok: 1 });
  });

  it("runs concurrent calls of one plugin in parallel workers", async () => {
    const m = await engine.load(wasm("test-state"), { ...base, hostFunctions: { cache_getstring: () => enc.encode("{}") } });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => m.call("nd_echo", enc.encode(`{"i":${i}}`))));
    expect(results.map((r) => JSON.parse(text(r.output)).i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe("payloads", () => {
  it("round-trips large and non-ASCII payloads", async () => {
    const m = await engine.load(wasm("test-state"), { ...base, hostFunctions: { cache_getstring: () => enc.encode("{}") } });
    const big = JSON.stringify({ s: "é".repeat(300_000) }); // larger than the shared area
    expect(text((await m.call("nd_echo", enc.encode(big))).output)).toBe(big);
    expect(JSON.parse(text((await m.call("nd_unicode", EMPTY)).output))).toEqual({ name: "Björk ✓" });
  });
});

describe("host functions", () => {
  it("serves synchronous and asynchronous host functions with the request bytes", async () => {
    const seen: string[] = [];
    const m = await engine.load(wasm("test-state"), {
      ...base,
      hostFunctions: {
        cache_getstring: async (input, ctx) => {
          seen.push(`${ctx.plugin}:${text(input)}`);
          await new Promise((r) => setTimeout(r, 5));
          return enc.encode('{"value":"v","exists":true}');
        },
      },
    });
    const r = await m.call("nd_cache_roundtrip", EMPTY);
    expect(JSON.parse(text(r.output))).toEqual({ value: "v", exists: true });
    expect(seen).toEqual(['t:{"key":"k"}']);
  });

  it("turns a throwing host function into a failed call", async () => {
    const m = await engine.load(wasm("test-state"), {
      ...base,
      hostFunctions: {
        cache_getstring: () => {
          throw new Error("db down");
        },
      },
    });
    await expect(m.call("nd_cache_roundtrip", EMPTY)).rejects.toThrow("cache_getstring: db down");
  });

  it("refuses a module importing a host function it was not granted", async () => {
    await expect(engine.load(wasm("wat-missing-import"), base)).rejects.toThrow(/"kvstore_get" is not exported in module "extism:host\/user"/);
    await expect(engine.load(wasm("wat-missing-import"), base)).rejects.toBeInstanceOf(EngineLoadError);
  });
});

describe("logging", () => {
  it("forwards log lines at or above the plugin's level", async () => {
    const lines: string[] = [];
    const m = await engine.load(wasm("test-state"), {
      ...base,
      logLevel: "warn",
      hostFunctions: { cache_getstring: () => enc.encode("{}") },
      onLog: (level, msg) => lines.push(`${level}:${msg}`),
    });
    await m.call("nd_log_levels", EMPTY);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines.map((l) => l.split(":")[0])).toEqual(["warn", "error"]);
  });
});

describe("misbehaving plugins", () => {
  it("stops an endless loop at the timeout and serves the next call quickly", async () => {
    const m = await engine.load(wasm("wat-loop"), { ...base, timeoutMs: 200 });
    const ok = await engine.load(wasm("wat-return-codes"), base);
    const started = performance.now();
    await expect(m.call("nd_get_artist_biography", EMPTY)).rejects.toBeInstanceOf(EngineTimeoutError);
    expect(performance.now() - started).toBeLessThan(1500);
    expect((await ok.call("ret_7", EMPTY)).code).toBe(7);
    await expect(m.call("nd_get_artist_biography", EMPTY, { timeoutMs: 100 })).rejects.toThrow("context deadline exceeded");
  });

  it("keeps the event loop free while a plugin spins", async () => {
    const m = await engine.load(wasm("wat-loop"), { ...base, timeoutMs: 400 });
    const pending = m.call("nd_get_artist_biography", EMPTY).catch((e) => e);
    const lags: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await new Promise((r) => setTimeout(r, 10));
      lags.push(performance.now() - t - 10);
    }
    expect(await pending).toBeInstanceOf(EngineTimeoutError);
    expect(Math.max(...lags)).toBeLessThan(100);
  });

  it("cancels a call when the caller aborts", async () => {
    const m = await engine.load(wasm("wat-loop"), { ...base, timeoutMs: 10_000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await expect(m.call("nd_get_artist_biography", EMPTY, { signal: ac.signal })).rejects.toBeInstanceOf(EngineAbortError);
  });

  it("fails a call whose memory grows past the limit, and recovers", async () => {
    const m = await engine.load(wasm("wat-grow"), { ...base, memoryLimitBytes: 8 * 1024 * 1024 });
    await expect(m.call("grow", EMPTY)).rejects.toBeInstanceOf(EngineTrapError);
    await expect(m.call("grow", EMPTY)).rejects.toThrow(/wasm error: unreachable/);
  });

  it("reports traps as wasm errors and keeps the plugin usable", async () => {
    const m = await engine.load(wasm("test-state"), { ...base, hostFunctions: { cache_getstring: () => enc.encode("{}") } });
    await expect(m.call("nd_trap", EMPTY)).rejects.toBeInstanceOf(EngineTrapError);
    expect(JSON.parse(text((await m.call("nd_counter", EMPTY)).output))).toEqual({ global: 1, var: 1 });
  });

  it("rejects bytes that are not a WebAssembly module with a clear message", async () => {
    await expect(engine.load(enc.encode("PK\u0003\u0004 not wasm"), base)).rejects.toThrow(/not a WebAssembly module/);
  });
});

describe("built-in http_request (contract §4.12)", () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader("x-test", "yes");
      res.end(`hello ${req.method} ${req.url}`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("fetches from an allowed host and returns status and body", async () => {
    const m = await engine.load(wasm("test-state"), { ...base, allowedHosts: ["127.0.0.*"], hostFunctions: { cache_getstring: () => enc.encode("{}") } });
    const r = await m.call("nd_http", enc.encode(JSON.stringify({ url: `http://127.0.0.1:${port}/x` })));
    expect(JSON.parse(text(r.output))).toMatchObject({ status: 200, body: "hello GET /x" });
  });

  it("denies every host when the allow-list is empty", async () => {
    const m = await engine.load(wasm("test-state"), { ...base, allowedHosts: [], hostFunctions: { cache_getstring: () => enc.encode("{}") } });
    await expect(m.call("nd_http", enc.encode(JSON.stringify({ url: `http://127.0.0.1:${port}/x` })))).rejects.toThrow(/is not allowed/);
  });
});

describe("compiled-module cache (contract §5.10)", () => {
  it("reuses the compiled module on reload and evicts least recently used entries past the size limit", async () => {
    const big = wasm("test-state").length;
    const limit = Math.floor(big * 2.5); // room for two (entries count the rewritten module, slightly larger)
    const cached = new Engine({ workers: 1, compileCacheBytes: limit });
    try {
      const opts = { ...base, hostFunctions: { cache_getstring: () => enc.encode("{}") } };
      const a = await cached.load(wasm("test-state"), { ...opts, cacheKey: "a" });
      await a.close();
      await cached.load(wasm("test-state"), { ...opts, cacheKey: "a" });
      expect(cached.compileCache.stats()).toMatchObject({ entries: 1, hits: 1, misses: 1 });
      await cached.load(wasm("test-state"), { ...opts, cacheKey: "b" });
      await cached.load(wasm("test-state"), { ...opts, cacheKey: "c" }); // over the limit: "a" goes
      expect(cached.compileCache.stats().entries).toBe(2);
      expect(cached.compileCache.stats().bytes).toBeLessThanOrEqual(limit);
      await cached.load(wasm("test-state"), { ...opts, cacheKey: "a" });
      expect(cached.compileCache.stats().misses).toBe(4);
    } finally {
      await cached.close();
    }
  });

  it("caches nothing with a limit of 0", async () => {
    const none = new Engine({ workers: 1, compileCacheBytes: 0 });
    try {
      await none.load(wasm("wat-return-codes"), { ...base, cacheKey: "x" });
      await none.load(wasm("wat-return-codes"), { ...base, cacheKey: "x" });
      expect(none.compileCache.stats()).toMatchObject({ entries: 0, hits: 0 });
    } finally {
      await none.close();
    }
  });
});
