/**
 * KVStore figure for `npm run bench` (issue 7), called from scripts/bench.ts:
 *
 *   10. kvstore ops/s: `kvstore_set` + `kvstore_get` of a 100-byte value made by a plugin
 *       (test-kvstore forwarding each call to the host), vs the same operations on the
 *       SQLite store directly; plus growing writes into a store of 20 000 keys.
 *
 * The service runs exactly as in the server, on an engine of its own.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PluginActivity } from "../lib/plugins/activity";
import { Engine, type LoadOptions } from "../lib/plugins/engine";
import type { HostServiceContext } from "../lib/plugins/host/registry";
import { createKVStoreService } from "../lib/plugins/host/kvstore";
import { KVStore } from "../lib/plugins/host/kvstore-store";
import type { Manifest } from "../lib/plugins/manifest/types";

interface KVStoreBenchContext {
  base: LoadOptions;
  print: (row: { figure: string; ours: number; baseline: number; unit: string; ratio: number; target: string; met: boolean }) => void;
  quick: boolean;
}

const root = path.resolve(import.meta.dirname, "..");
const enc = new TextEncoder();

export async function kvstoreFigures(b: KVStoreBenchContext): Promise<void> {
  const n = b.quick ? 2000 : 20000;
  const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-bench-kv-"));
  const engine = new Engine({});
  const manifest: Manifest = { name: "bench", author: "bench", version: "1", permissions: { kvstore: { maxSize: "1GB" } } };
  const ctx = { pluginId: "test-kvstore", manifest, record: {}, config: {}, dataFolder, activity: new PluginActivity() } as unknown as HostServiceContext;
  const service = createKVStoreService(ctx);
  const store = new KVStore(path.join(dataFolder, "direct", "kvstore.db"), 1e9);
  try {
    const wasm = new Uint8Array(readFileSync(path.join(root, "build/plugins/test-kvstore.wasm")));
    const module = await engine.load(wasm, { ...b.base, name: "bench-kvstore", hostFunctions: service.functions });
    const value = Buffer.alloc(100, 0x61).toString("base64");
    const viaPlugin = async (fn: string, request: object) => {
      const r = await module.call("nd_test_kvstore", enc.encode(`${fn}\n${JSON.stringify(request)}`));
      if (r.code !== 0 || r.output.length > 2) throw new Error(`${fn} failed: ${r.error ?? Buffer.from(r.output).toString()}`);
    };
    const keys = Array.from({ length: 1000 }, (_, i) => `key:${i}`);
    for (const key of keys) await viaPlugin("kvstore_set", { key, value });

    let t = performance.now();
    for (let i = 0; i < n; i++) {
      const key = keys[i % keys.length];
      await viaPlugin("kvstore_set", { key, value });
      const r = await module.call("nd_test_kvstore", enc.encode(`kvstore_get\n{"key":"${key}"}`));
      if (r.code !== 0) throw new Error("kvstore_get failed");
    }
    const plugin = (2 * n) / ((performance.now() - t) / 1000);

    const bytes = new Uint8Array(100).fill(0x61);
    for (const key of keys) store.set(key, bytes);
    t = performance.now();
    for (let i = 0; i < n; i++) {
      const key = keys[i % keys.length];
      store.set(key, bytes);
      store.get(key);
    }
    const direct = (2 * n) / ((performance.now() - t) / 1000);

    t = performance.now();
    for (let i = 0; i < n; i++) store.set(`new:${i}`, bytes);
    const growing = n / ((performance.now() - t) / 1000);
    await module.close();

    console.log(`  growing writes (new keys, quota checked each time) into the direct store: ${Math.round(growing)} sets/s over ${n} keys`);
    b.print({ figure: "11. kvstore ops/s, set + get of 100 B through a plugin vs on the SQLite store directly", ours: plugin, baseline: direct, unit: "ops/s", ratio: plugin / direct, target: "report", met: true });
  } finally {
    await service.close?.();
    store.close();
    await engine.close();
    rmSync(dataFolder, { recursive: true, force: true });
  }
}
