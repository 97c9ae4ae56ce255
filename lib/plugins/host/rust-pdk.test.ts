import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootWithVariants, forward } from "../../testing/host-plugins";
import { decodeRust, RUST_RESPONSES } from "../../testing/rust-pdk";
import { createUser } from "../../users/users";
import type { PluginManager } from "../manager";
import { HOST_OVERRIDES_ENV } from "../../net/host-overrides";

/**
 * "A plugin written against the Rust PDK's expectations decodes every response": each
 * host function of the cache, kvstore, users, http and storage services is called through
 * its test plugin in the states that shape its answer (empty, present, zero values,
 * errors), and every answer must decode with serde's strictness.
 */

let manager: PluginManager;
let server: http.Server;
const b64 = (s: string) => Buffer.from(s).toString("base64");

const scenarios: [plugin: string, fn: string, request: object | string][] = [
  ["test-cache", "cache_getstring", { key: "none" }],
  ["test-cache", "cache_setstring", { key: "s", value: "", ttlSeconds: 0 }],
  ["test-cache", "cache_getstring", { key: "s" }],
  ["test-cache", "cache_setstring", { key: "s", value: "text", ttlSeconds: 60 }],
  ["test-cache", "cache_getstring", { key: "s" }],
  ["test-cache", "cache_getint", { key: "s" }],
  ["test-cache", "cache_setint", { key: "i", value: -42, ttlSeconds: 60 }],
  ["test-cache", "cache_getint", { key: "i" }],
  ["test-cache", "cache_setfloat", { key: "f", value: 0, ttlSeconds: 60 }],
  ["test-cache", "cache_getfloat", { key: "f" }],
  ["test-cache", "cache_setfloat", { key: "f", value: 2.5, ttlSeconds: 60 }],
  ["test-cache", "cache_getfloat", { key: "f" }],
  ["test-cache", "cache_setbytes", { key: "b", value: null, ttlSeconds: 60 }],
  ["test-cache", "cache_getbytes", { key: "b" }],
  ["test-cache", "cache_setbytes", { key: "b", value: b64("bytes"), ttlSeconds: 60 }],
  ["test-cache", "cache_getbytes", { key: "b" }],
  ["test-cache", "cache_has", { key: "b" }],
  ["test-cache", "cache_has", { key: "none" }],
  ["test-cache", "cache_remove", { key: "b" }],
  ["test-cache", "cache_setint", '{"key":"x","value":"nope"}'],
  ["test-kvstore", "kvstore_getstorageused", {}],
  ["test-kvstore", "kvstore_list", { prefix: "" }],
  ["test-kvstore", "kvstore_getmany", { keys: [] }],
  ["test-kvstore", "kvstore_get", { key: "k" }],
  ["test-kvstore", "kvstore_has", { key: "k" }],
  ["test-kvstore", "kvstore_set", { key: "k", value: b64("v") }],
  ["test-kvstore", "kvstore_set", { key: "empty", value: "" }],
  ["test-kvstore", "kvstore_setwithttl", { key: "t", value: b64("t"), ttlSeconds: 60 }],
  ["test-kvstore", "kvstore_setwithttl", { key: "t", value: b64("t"), ttlSeconds: 0 }],
  ["test-kvstore", "kvstore_set", { key: "", value: b64("v") }],
  ["test-kvstore", "kvstore_get", { key: "k" }],
  ["test-kvstore", "kvstore_get", { key: "empty" }],
  ["test-kvstore", "kvstore_getmany", { keys: ["k", "empty", "missing"] }],
  ["test-kvstore", "kvstore_has", { key: "k" }],
  ["test-kvstore", "kvstore_list", { prefix: "" }],
  ["test-kvstore", "kvstore_list", { prefix: "zzz" }],
  ["test-kvstore", "kvstore_getstorageused", {}],
  ["test-kvstore", "kvstore_deletebyprefix", { prefix: "zzz" }],
  ["test-kvstore", "kvstore_deletebyprefix", { prefix: "k" }],
  ["test-kvstore", "kvstore_deletebyprefix", { prefix: "" }],
  ["test-kvstore", "kvstore_delete", { key: "t" }],
  ["users-none", "users_getusers", {}],
  ["users-none", "users_getadmins", {}],
  ["test-users", "users_getusers", {}],
  ["test-users", "users_getadmins", {}],
  ["test-http", "http_send", { request: { method: "GET", url: "http://api.example.com/empty" } }],
  ["test-http", "http_send", { request: { method: "GET", url: "http://api.example.com/full" } }],
  ["test-http", "http_send", { request: { method: "GET", url: "http://evil.example.net/" } }],
  ["test-storage", "storage_getstoragepath", {}],
];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/empty") {
      // No body: the result's `body` must be omitted, never null.
      res.writeHead(204);
      return res.end();
    }
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("full");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  process.env[HOST_OVERRIDES_ENV] = `api.example.com=127.0.0.1:${(server.address() as AddressInfo).port}`;
  ({ manager } = await bootWithVariants([
    { base: "test-cache" },
    { base: "test-kvstore" },
    { base: "test-users" },
    { base: "test-users", id: "users-none" },
    { base: "test-http" },
    { base: "test-storage" },
  ]));
  const nobody = await createUser({ userName: "nobody", password: "nobody-pass-1" });
  await manager.saveSettings("test-users", { allUsers: true });
  await manager.saveSettings("users-none", { users: [nobody.id] });
  for (const id of ["test-cache", "test-kvstore", "test-users", "users-none", "test-http", "test-storage"]) await manager.enable(id);
});

afterAll(() => {
  delete process.env[HOST_OVERRIDES_ENV];
  server?.close();
});

describe("responses decode with the Rust PDK's strictness", () => {
  it("covers every host function of the five services", () => {
    expect(new Set(scenarios.map(([, fn]) => fn))).toEqual(new Set(Object.keys(RUST_RESPONSES)));
  });

  it.each(scenarios.map((s, i) => [i, ...s] as const))("#%i %s %s", async (_i, plugin, fn, request) => {
    const text = await forward(manager, plugin, fn, request);
    expect(() => decodeRust(text, RUST_RESPONSES[fn])).not.toThrow();
    // Go omits empty optional fields rather than writing null, which serde would refuse.
    expect(text).not.toContain("null");
  });
});

describe("the strict decoder", () => {
  it("refuses what would break a Rust plugin", () => {
    expect(() => decodeRust('{"keys":null}', RUST_RESPONSES.kvstore_list)).toThrow(".keys: invalid type: null");
    expect(() => decodeRust('{"result":[{"userName":"a","name":"A"}]}', RUST_RESPONSES.users_getusers)).toThrow("missing field `isAdmin`");
    expect(() => decodeRust('{"result":{"headers":{}}}', RUST_RESPONSES.http_send)).toThrow("missing field `statusCode`");
    expect(() => decodeRust('{"value":"aGk","exists":true}', RUST_RESPONSES.kvstore_get)).toThrow("base64");
    expect(() => decodeRust('{"value":1.5}', RUST_RESPONSES.cache_getint)).toThrow("expected i64");
    expect(() => decodeRust('{"Exists":true,"exists":true,"exists":false}', RUST_RESPONSES.cache_has)).toThrow("duplicate field");
    expect(decodeRust('{"error":null}', RUST_RESPONSES.cache_remove)).toEqual({ error: null });
  });
});
