import { beforeAll, describe, expect, it } from "vitest";
import { bootWithVariants, forward } from "../../testing/host-plugins";
import { findPlugin } from "../../db/plugins";
import type { PluginManager } from "../manager";
import { cacheTtlMs, DEFAULT_CACHE_TTL_MS } from "./cache";
import { CacheStore } from "./cache-store";

let manager: PluginManager;
const call = (fn: string, request: object | string = {}, id = "test-cache") => forward(manager, id, fn, request);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  ({ manager } = await bootWithVariants([
    { base: "test-cache" },
    { base: "test-cache", id: "cache-twin" },
    { base: "test-cache", id: "cache-no-permission", manifest: (m) => void delete m.permissions!.cache },
  ]));
  await manager.enable("test-cache");
  await manager.enable("cache-twin");
});

describe("cache typed setters and getters (contract §4.4)", () => {
  it("round-trips each type with the exact wire JSON", async () => {
    expect(await call("cache_setstring", { key: "s", value: "héllo <&>", ttlSeconds: 60 })).toBe("{}");
    expect(await call("cache_getstring", { key: "s" })).toBe('{"value":"héllo \\u003c\\u0026\\u003e","exists":true}');
    expect(await call("cache_setint", { key: "i", value: 0, ttlSeconds: 60 })).toBe("{}");
    expect(await call("cache_getint", { key: "i" })).toBe('{"exists":true}');
    expect(await call("cache_setint", '{"key":"big","value":9223372036854775807,"ttlSeconds":60}')).toBe("{}");
    expect(await call("cache_getint", { key: "big" })).toBe('{"value":9223372036854775807,"exists":true}');
    expect(await call("cache_setfloat", { key: "f", value: 1.5e-7, ttlSeconds: 0 })).toBe("{}");
    expect(await call("cache_getfloat", { key: "f" })).toBe('{"value":1.5e-7,"exists":true}');
    expect(await call("cache_setbytes", { key: "b", value: "AAEC/w==", ttlSeconds: 60 })).toBe("{}");
    expect(await call("cache_getbytes", { key: "b" })).toBe('{"value":"AAEC/w==","exists":true}');
  });

  it("omits value and exists for a missing key, and value for empty values", async () => {
    expect(await call("cache_getstring", { key: "nope" })).toBe("{}");
    expect(await call("cache_getbytes", { key: "nope" })).toBe("{}");
    expect(await call("cache_has", { key: "nope" })).toBe("{}");
    await call("cache_setstring", { key: "empty", value: "", ttlSeconds: 60 });
    expect(await call("cache_getstring", { key: "empty" })).toBe('{"exists":true}');
    await call("cache_setbytes", { key: "nil-bytes", value: null, ttlSeconds: 60 });
    expect(await call("cache_getbytes", { key: "nil-bytes" })).toBe('{"exists":true}');
  });

  it("misses a get of another type while the entry stays", async () => {
    await call("cache_setstring", { key: "typed", value: "text", ttlSeconds: 60 });
    expect(await call("cache_getint", { key: "typed" })).toBe("{}");
    expect(await call("cache_getbytes", { key: "typed" })).toBe("{}");
    expect(await call("cache_has", { key: "typed" })).toBe('{"exists":true}');
    await call("cache_setint", { key: "typed", value: 7, ttlSeconds: 60 });
    expect(await call("cache_getstring", { key: "typed" })).toBe("{}");
    expect(await call("cache_getint", { key: "typed" })).toBe('{"value":7,"exists":true}');
  });

  it("removes keys, and a missing key is fine", async () => {
    await call("cache_setstring", { key: "gone", value: "x", ttlSeconds: 60 });
    expect(await call("cache_remove", { key: "gone" })).toBe("{}");
    expect(await call("cache_has", { key: "gone" })).toBe("{}");
    expect(await call("cache_remove", { key: "never-there" })).toBe("{}");
  });

  it("answers undecodable requests with Go's decoder error", async () => {
    expect(await call("cache_setint", '{"key":"k","value":1.5,"ttlSeconds":1}')).toBe(
      '{"error":"json: cannot unmarshal number 1.5 into Go struct field CacheSetIntRequest.value of type int64"}',
    );
    expect(await call("cache_setstring", '{"key":"k","value":"v","ttlSeconds":"60"}')).toBe(
      '{"error":"json: cannot unmarshal string into Go struct field CacheSetStringRequest.ttlSeconds of type int64"}',
    );
    expect(await call("cache_getstring", "[1]")).toMatch(/^\{"error":"json: cannot unmarshal array/);
  });

  it("expires after ttlSeconds, sliding on every get and has", async () => {
    // Each step is bracketed by the clock. A step proves something only when it landed in
    // the window the previous one opened; a stalled (loaded) machine can push it out, and
    // then the round is run again with a fresh key rather than failing or passing blindly.
    const timed = async (fn: string, request: object) => {
      const before = Date.now();
      const out = await call(fn, request);
      return { before, after: Date.now(), out };
    };
    let proved = false;
    for (let round = 0; round < 5 && !proved; round++) {
      const key = `slide-${round}`;
      const set = await timed("cache_setstring", { key, value: "v", ttlSeconds: 1 });
      await sleep(600);
      const has = await timed("cache_has", { key });
      if (has.after - set.before >= 1000) continue; // may have expired unslid
      expect(has.out).toBe('{"exists":true}');
      await sleep(600);
      const get = await timed("cache_getstring", { key });
      if (get.after - has.before >= 1000 || get.before - set.after <= 1000) continue; // not inside the slid window only
      expect(get.out).toBe('{"value":"v","exists":true}'); // alive only because has slid the TTL
      await sleep(1100);
      // Load can only lengthen the sleep, so this step needs no bracket.
      expect(await call("cache_getstring", { key })).toBe("{}");
      proved = true;
    }
    expect(proved).toBe(true);
  });

  it("keeps each plugin's keys apart", async () => {
    await call("cache_setstring", { key: "shared-name", value: "mine", ttlSeconds: 60 });
    expect(await call("cache_getstring", { key: "shared-name" }, "cache-twin")).toBe("{}");
  });

  it("is emptied when the plugin reloads (a settings save)", async () => {
    await call("cache_setstring", { key: "survivor", value: "x", ttlSeconds: 600 }, "cache-twin");
    await manager.saveSettings("cache-twin", { config: '{"changed":"yes"}' });
    expect(manager.loadedPlugin("cache-twin")).toBeDefined();
    expect(await call("cache_getstring", { key: "survivor" }, "cache-twin")).toBe("{}");
  });

  it("is not granted without the cache permission: the plugin fails to load", async () => {
    await expect(manager.enable("cache-no-permission")).rejects.toThrow(/"cache_\w+" is not exported in module "extism:host\/user"/);
    expect((await findPlugin("cache-no-permission"))!.lastError).toMatch(/^creating instance: "cache_\w+" is not exported/);
  });
});

describe("cacheTtlMs", () => {
  it("defaults to 24 h for ttlSeconds ≤ 0 or absent", () => {
    expect([cacheTtlMs(0n), cacheTtlMs(-5n), cacheTtlMs(undefined)]).toEqual([DEFAULT_CACHE_TTL_MS, DEFAULT_CACHE_TTL_MS, DEFAULT_CACHE_TTL_MS]);
    expect(DEFAULT_CACHE_TTL_MS).toBe(86_400_000);
    expect(cacheTtlMs(2n)).toBe(2000);
  });
});

describe("CacheStore", () => {
  it("uses the TTL it is given and restarts it on every hit", () => {
    let now = 0;
    const store = new CacheStore(1 << 20, () => now);
    store.set("k", { type: "string", value: "v" }, 24 * 3600_000);
    now = 24 * 3600_000 - 1;
    expect(store.get("k")).toEqual({ type: "string", value: "v" });
    now += 24 * 3600_000 - 1;
    expect(store.get("k")).toBeDefined();
    now += 24 * 3600_000;
    expect(store.get("k")).toBeUndefined();
  });

  it("evicts the least recently used entries past its memory bound", () => {
    const entry = 64 + 2 + 8; // overhead + one-character key + an int
    const store = new CacheStore(entry * 3);
    for (const k of ["a", "b", "c"]) store.set(k, { type: "int", value: 1n }, 60_000);
    store.get("a");
    store.set("d", { type: "int", value: 2n }, 60_000);
    expect(store.get("b")).toBeUndefined();
    expect(["a", "c", "d"].map((k) => store.get(k) !== undefined)).toEqual([true, true, true]);
    expect(store.usedBytes).toBe(entry * 3);
  });

  it("does not keep a value larger than the whole bound", () => {
    const store = new CacheStore(200);
    store.set("small", { type: "int", value: 1n }, 60_000);
    store.set("huge", { type: "bytes", value: new Uint8Array(500) }, 60_000);
    expect(store.get("huge")).toBeUndefined();
    expect(store.get("small")).toBeDefined();
  });

  it("sweeps expired entries", () => {
    let now = 0;
    const store = new CacheStore(1 << 20, () => now);
    store.set("short", { type: "int", value: 1n }, 1000);
    store.set("long", { type: "int", value: 1n }, 5000);
    now = 2000;
    expect(store.sweep()).toBe(1);
    expect(store.size).toBe(1);
  });
});
