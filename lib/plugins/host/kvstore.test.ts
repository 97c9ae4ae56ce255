import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { findPlugin } from "../../db/plugins";
import { bootWithVariants, forward } from "../../testing/host-plugins";
import type { PluginManager } from "../manager";
import { formatBytes, parseBytes } from "./go-humanize";
import { DEFAULT_KVSTORE_MAX_SIZE, kvstoreMaxSize } from "./kvstore";
import { KVStore } from "./kvstore-store";

let manager: PluginManager;
let dataFolder: string;
const ID = "test-kvstore";
const call = (fn: string, request: object | string = {}, id = ID) => forward(manager, id, fn, request);
const b64 = (s: string | Buffer) => (typeof s === "string" ? Buffer.from(s) : s).toString("base64");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  ({ manager, dataFolder } = await bootWithVariants([
    { base: "test-kvstore" },
    { base: "test-kvstore", id: "kv-default-size", manifest: (m) => void delete m.permissions!.kvstore!.maxSize },
    { base: "test-kvstore", id: "kv-bad-size", manifest: (m) => void (m.permissions!.kvstore!.maxSize = "ten megs") },
    { base: "test-kvstore", id: "kv-no-permission", manifest: (m) => void delete m.permissions!.kvstore },
  ]));
  await manager.enable(ID);
  await manager.enable("kv-default-size");
});

describe("kvstore set/get/has/delete (contract §4.5)", () => {
  it("round-trips bytes with the exact wire JSON", async () => {
    expect(await call("kvstore_set", { key: "greeting", value: b64("hello") })).toBe("{}");
    expect(await call("kvstore_get", { key: "greeting" })).toBe('{"value":"aGVsbG8=","exists":true}');
    expect(await call("kvstore_has", { key: "greeting" })).toBe('{"exists":true}');
    expect(await call("kvstore_get", { key: "missing" })).toBe("{}");
    expect(await call("kvstore_has", { key: "missing" })).toBe("{}");
    expect(await call("kvstore_delete", { key: "greeting" })).toBe("{}");
    expect(await call("kvstore_get", { key: "greeting" })).toBe("{}");
    expect(await call("kvstore_delete", { key: "greeting" })).toBe("{}");
  });

  it("keeps an empty value as present, and fails a null value on the NOT NULL column", async () => {
    expect(await call("kvstore_set", { key: "empty", value: "" })).toBe("{}");
    expect(await call("kvstore_get", { key: "empty" })).toBe('{"exists":true}');
    expect(await call("kvstore_getmany", { keys: ["empty"] })).toBe('{"values":{"empty":""}}');
    expect(await call("kvstore_set", { key: "null", value: null })).toBe('{"error":"storing value: NOT NULL constraint failed: kvstore.value"}');
    await call("kvstore_delete", { key: "empty" });
  });

  it("enforces the key rules on set", async () => {
    expect(await call("kvstore_set", { key: "", value: b64("x") })).toBe('{"error":"key cannot be empty"}');
    expect(await call("kvstore_set", { key: "k".repeat(256), value: b64("x") })).toBe("{}");
    expect(await call("kvstore_set", { key: "é".repeat(129), value: b64("x") })).toBe('{"error":"key exceeds maximum length of 256 bytes"}');
    expect(await call("kvstore_setwithttl", { key: "", value: b64("x"), ttlSeconds: 5 })).toBe('{"error":"key cannot be empty"}');
    await call("kvstore_delete", { key: "k".repeat(256) });
  });

  it("rejects bad base64 and wrong types as Go's decoder does", async () => {
    expect(await call("kvstore_set", { key: "k", value: "aGVsbG8" })).toMatch(/^\{"error":"illegal base64 data at input byte/);
    expect(await call("kvstore_setwithttl", '{"key":"k","value":"","ttlSeconds":1.5}')).toBe(
      '{"error":"json: cannot unmarshal number 1.5 into Go struct field KVStoreSetWithTTLRequest.ttlSeconds of type int64"}',
    );
  });
});

describe("kvstore quota (maxSize, contract §4.5 and §9 item 11)", () => {
  it("counts value bytes only and refuses growth past maxSize with humanized SI sizes", async () => {
    await call("kvstore_deletebyprefix", { prefix: "q" });
    expect(await call("kvstore_set", { key: "q1", value: b64(Buffer.alloc(9000)) })).toBe("{}");
    expect(await call("kvstore_getstorageused")).toBe('{"bytes":9000}');
    expect(await call("kvstore_set", { key: "q2", value: b64(Buffer.alloc(1001)) })).toBe('{"error":"storage limit exceeded: would use 10 kB of 10 kB allowed"}');
    expect(await call("kvstore_set", { key: "q2", value: b64(Buffer.alloc(1000)) })).toBe("{}");
    expect(await call("kvstore_getstorageused")).toBe('{"bytes":10000}');
    expect(await call("kvstore_set", { key: "q1", value: b64(Buffer.alloc(9001)) })).toBe('{"error":"storage limit exceeded: would use 10 kB of 10 kB allowed"}');
    // Same-size and shrinking overwrites always succeed.
    expect(await call("kvstore_set", { key: "q1", value: b64(Buffer.alloc(9000, 1)) })).toBe("{}");
    expect(await call("kvstore_set", { key: "q1", value: b64(Buffer.alloc(10)) })).toBe("{}");
    expect(await call("kvstore_getstorageused")).toBe('{"bytes":1010}');
    await call("kvstore_deletebyprefix", { prefix: "q" });
    expect(await call("kvstore_getstorageused")).toBe("{}");
  });

  it("defaults to 1 MiB when the manifest gives no maxSize", async () => {
    expect(await call("kvstore_set", { key: "a", value: b64(Buffer.alloc(DEFAULT_KVSTORE_MAX_SIZE)) }, "kv-default-size")).toBe("{}");
    expect(await call("kvstore_set", { key: "b", value: b64("x") }, "kv-default-size")).toBe('{"error":"storage limit exceeded: would use 1.0 MB of 1.0 MB allowed"}');
  });

  it("does not count expired keys", async () => {
    // Expiry is by the second (SQLite datetime): a 2 s TTL stays live for at least 2 s, so
    // the check right after the set survives a stalled machine; 3.1 s later it is gone.
    await call("kvstore_setwithttl", { key: "exp-quota", value: b64(Buffer.alloc(9500)), ttlSeconds: 2 });
    expect(await call("kvstore_set", { key: "other", value: b64(Buffer.alloc(600)) })).toMatch(/storage limit exceeded/);
    await sleep(3100);
    expect(await call("kvstore_set", { key: "other", value: b64(Buffer.alloc(600)) })).toBe("{}");
    await call("kvstore_delete", { key: "other" });
  });
});

describe("kvstore TTL", () => {
  it("requires ttlSeconds > 0 for setwithttl", async () => {
    expect(await call("kvstore_setwithttl", { key: "t", value: b64("x"), ttlSeconds: 0 })).toBe('{"error":"ttlSeconds must be greater than 0"}');
    expect(await call("kvstore_setwithttl", { key: "t", value: b64("x"), ttlSeconds: -1 })).toBe('{"error":"ttlSeconds must be greater than 0"}');
  });

  it("hides a key after its expiry second from get, getmany, has, list and storage used", async () => {
    // A 2 s TTL: live for at least 2 s whatever the sub-second phase (see "does not count expired keys").
    await call("kvstore_setwithttl", { key: "ttl:a", value: b64("x"), ttlSeconds: 2 });
    expect(await call("kvstore_get", { key: "ttl:a" })).toBe('{"value":"eA==","exists":true}');
    await sleep(3100);
    expect(await call("kvstore_get", { key: "ttl:a" })).toBe("{}");
    expect(await call("kvstore_getmany", { keys: ["ttl:a"] })).toBe("{}");
    expect(await call("kvstore_has", { key: "ttl:a" })).toBe("{}");
    expect(await call("kvstore_list", { prefix: "ttl:" })).toBe("{}");
    expect(await call("kvstore_getstorageused")).toBe("{}");
    // deletebyprefix still removes (and counts) the expired row.
    expect(await call("kvstore_deletebyprefix", { prefix: "ttl:" })).toBe('{"deletedCount":1}');
  });

  it("clears an expiry when the key is set again without TTL", async () => {
    await call("kvstore_setwithttl", { key: "keep", value: b64("x"), ttlSeconds: 1 });
    await call("kvstore_set", { key: "keep", value: b64("y") });
    await sleep(2100);
    expect(await call("kvstore_get", { key: "keep" })).toBe('{"value":"eQ==","exists":true}');
    await call("kvstore_delete", { key: "keep" });
  });
});

describe("kvstore list, deletebyprefix, getmany", () => {
  it("lists sorted keys by prefix, ASCII case-insensitively, with % and _ taken literally", async () => {
    for (const k of ["user:b", "User:a", "user_x", "userQx", "use%r", "other"]) await call("kvstore_set", { key: k, value: b64("1") });
    expect(await call("kvstore_list", { prefix: "user:" })).toBe('{"keys":["User:a","user:b"]}');
    expect(await call("kvstore_list", { prefix: "user_" })).toBe('{"keys":["user_x"]}');
    expect(await call("kvstore_list", { prefix: "use%" })).toBe('{"keys":["use%r"]}');
    expect(await call("kvstore_list", { prefix: "nothing" })).toBe("{}");
    expect(await call("kvstore_list", { prefix: "" })).toBe('{"keys":["User:a","other","use%r","user:b","userQx","user_x"]}');
  });

  it("deletes by prefix (case-insensitively) and refuses an empty prefix", async () => {
    expect(await call("kvstore_deletebyprefix", { prefix: "" })).toBe('{"error":"prefix cannot be empty"}');
    expect(await call("kvstore_deletebyprefix", { prefix: "USER:" })).toBe('{"deletedCount":2}');
    expect(await call("kvstore_deletebyprefix", { prefix: "USER:" })).toBe("{}");
    for (const k of ["user_x", "userQx", "use%r", "other"]) await call("kvstore_delete", { key: k });
  });

  it("returns found keys as a sorted base64 map across batches of 200, leaving out missing keys", async () => {
    const keys = Array.from({ length: 450 }, (_, i) => `m${i}`);
    for (const k of keys.filter((_, i) => i % 3 === 0)) await call("kvstore_set", { key: k, value: b64(k) });
    const resp = await call("kvstore_getmany", { keys: [...keys, "absent"] });
    const values = (JSON.parse(resp) as { values: Record<string, string> }).values;
    expect(Object.keys(values)).toHaveLength(150);
    expect(values.m3).toBe(b64("m3"));
    expect(values.m4).toBeUndefined();
    expect(resp.startsWith('{"values":{"m0":"bTA=","m102":')).toBe(true);
    expect(await call("kvstore_getmany", { keys: [] })).toBe("{}");
    expect(await call("kvstore_getmany", { keys: null })).toBe("{}");
    await call("kvstore_deletebyprefix", { prefix: "m" });
  });
});

describe("kvstore persistence and setup", () => {
  it("keeps data in <DataFolder>/plugins/<id>/kvstore.db (WAL, 3 migrations) across reloads", async () => {
    await call("kvstore_set", { key: "durable", value: b64("yes") });
    const file = path.join(dataFolder, "plugins", ID, "kvstore.db");
    expect(existsSync(file)).toBe(true);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    await manager.saveSettings(ID, { config: '{"reloaded":"1"}' });
    expect(await call("kvstore_get", { key: "durable" })).toBe('{"value":"eWVz","exists":true}');
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("user_version", { simple: true })).toBe(3);
    } finally {
      db.close();
    }
  });

  it("is not granted without the kvstore permission: the plugin fails to load", async () => {
    await expect(manager.enable("kv-no-permission")).rejects.toThrow(/"kvstore_\w+" is not exported in module "extism:host\/user"/);
  });

  it("registers no functions when maxSize does not parse, so the plugin fails to load", async () => {
    await expect(manager.enable("kv-bad-size")).rejects.toThrow(/"kvstore_\w+" is not exported in module "extism:host\/user"/);
    expect((await findPlugin("kv-bad-size"))!.lastError).toMatch(/^creating instance: "kvstore_\w+" is not exported/);
    expect(manager.activity("kv-bad-size").recentLines().map((l) => l.message)).toContain('creating kvstore service: invalid maxSize "ten megs": strconv.ParseFloat: parsing "": invalid syntax');
  });
});

describe("KVStore storage accounting", () => {
  it("keeps its running total equal to Navidrome's full sum through any mix of writes and deletes", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "kv-")), "kvstore.db");
    const store = new KVStore(file, 1e9);
    const fullSum = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare("SELECT COALESCE(SUM(size), 0) FROM kvstore WHERE expires_at IS NULL OR expires_at >= datetime('now')").pluck().get();
      } finally {
        db.close();
      }
    };
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let i = 0; i < 2000; i++) {
      const key = `k${rand(50)}`;
      const op = rand(10);
      if (op < 5) store.set(key, new Uint8Array(rand(300)));
      else if (op < 8) store.set(key, new Uint8Array(rand(300)), BigInt(1 + rand(3600)));
      else if (op < 9) store.delete(key);
      else store.deleteByPrefix(`k${rand(5)}`);
      if (i % 100 === 0) expect(store.storageUsed()).toBe(fullSum());
    }
    store.set("huge-ttl", new Uint8Array(10), 9_223_372_036_854_775_807n);
    expect(store.storageUsed()).toBe(fullSum());
    const used = store.storageUsed();
    store.close();
    const reopened = new KVStore(file, 1e9);
    expect(reopened.storageUsed()).toBe(used);
    reopened.close();
  });
});

describe("maxSize parsing (go-humanize)", () => {
  it.each([
    ["10KB", 10_000],
    ["1MB", 1_000_000],
    ["1mb", 1_000_000],
    ["1MiB", 1_048_576],
    ["1.5 KiB", 1536],
    ["1,000", 1000],
    ["512", 512],
    ["2 k", 2000],
    ["1.9", 1],
    ["3GB", 3e9],
  ])("%s = %d bytes", (text, bytes) => expect(kvstoreMaxSize(text)).toBe(bytes));

  it("defaults to 1 MiB and names the bad value", () => {
    expect(kvstoreMaxSize(undefined)).toBe(1_048_576);
    expect(kvstoreMaxSize("")).toBe(1_048_576);
    expect(() => kvstoreMaxSize("12 parsecs")).toThrow('invalid maxSize "12 parsecs": unhandled size name: parsecs');
    expect(() => kvstoreMaxSize(" 1MB")).toThrow('invalid maxSize " 1MB": strconv.ParseFloat: parsing "": invalid syntax');
    expect(() => parseBytes("1.2.3MB")).toThrow('strconv.ParseFloat: parsing "1.2.3": invalid syntax');
  });

  it.each([
    [9, "9 B"],
    [999, "999 B"],
    [1000, "1.0 kB"],
    [10_000, "10 kB"],
    [10_001, "10 kB"],
    [10_500, "10 kB"],
    [11_500, "12 kB"],
    [1_048_576, "1.0 MB"],
    [1_048_577, "1.0 MB"],
    [999_999, "1000 kB"],
  ])("formats %d as %s", (n, text) => expect(formatBytes(n)).toBe(text));
});
