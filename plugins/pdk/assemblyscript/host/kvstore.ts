// KVStore host service (`kvstore` permission, contract §4.5): a persistent key-value store
// private to the plugin (its own SQLite file), kept across reloads, restarts and removal.
// Keys are 1–256 bytes; the values' total size is capped by `kvstore.maxSize` (default 1 MiB;
// `1MB` is 10^6 bytes). `list` and `deleteByPrefix` match prefixes ASCII case-insensitively.
import { hostRequest, hostResponse } from "../lib/host";
import { utf8 } from "../lib/io";
import { JSONWriter } from "../lib/json";
import { BoolResult, BytesMapResult, BytesResult, IntResult, StringListResult, VoidResult } from "../lib/results";

@external("extism:host/user", "kvstore_set")
declare function kvstore_set(offset: u64): u64;
@external("extism:host/user", "kvstore_setwithttl")
declare function kvstore_setwithttl(offset: u64): u64;
@external("extism:host/user", "kvstore_get")
declare function kvstore_get(offset: u64): u64;
@external("extism:host/user", "kvstore_getmany")
declare function kvstore_getmany(offset: u64): u64;
@external("extism:host/user", "kvstore_has")
declare function kvstore_has(offset: u64): u64;
@external("extism:host/user", "kvstore_list")
declare function kvstore_list(offset: u64): u64;
@external("extism:host/user", "kvstore_delete")
declare function kvstore_delete(offset: u64): u64;
@external("extism:host/user", "kvstore_deletebyprefix")
declare function kvstore_deletebyprefix(offset: u64): u64;
@external("extism:host/user", "kvstore_getstorageused")
declare function kvstore_getstorageused(offset: u64): u64;

function keyRequest(key: string): u64 {
  return hostRequest(new JSONWriter().beginObject().string("key", key).endObject().toString());
}

function voidResult(offset: u64): VoidResult {
  const r = new VoidResult();
  r.takeError(hostResponse(offset));
  return r;
}

export class KVStore {
  /** Stores `value` without expiry (clearing any earlier TTL). */
  static set(key: string, value: Uint8Array): VoidResult {
    return voidResult(kvstore_set(hostRequest(new JSONWriter().beginObject().string("key", key).bytes("value", value).endObject().toString())));
  }

  static setString(key: string, value: string): VoidResult {
    return KVStore.set(key, utf8(value));
  }

  /** Stores `value` for `ttlSeconds` (> 0). */
  static setWithTTL(key: string, value: Uint8Array, ttlSeconds: i64): VoidResult {
    return voidResult(kvstore_setwithttl(hostRequest(new JSONWriter().beginObject().string("key", key).bytes("value", value).int("ttlSeconds", ttlSeconds).endObject().toString())));
  }

  static get(key: string): BytesResult {
    const res = hostResponse(kvstore_get(keyRequest(key)));
    const r = new BytesResult();
    if (r.takeError(res)) return r;
    r.value = res.getBytes("value");
    r.exists = res.getBool("exists");
    return r;
  }

  /** The values of the keys that exist (missing and expired ones are left out). */
  static getMany(keys: string[]): BytesMapResult {
    const res = hostResponse(kvstore_getmany(hostRequest(new JSONWriter().beginObject().strings("keys", keys).endObject().toString())));
    const r = new BytesMapResult();
    if (r.takeError(res)) return r;
    const values = res.getObject("values");
    for (let i = 0; i < values.keys.length; i++) r.values.set(values.keys[i], values.values[i].asBytes());
    return r;
  }

  static has(key: string): BoolResult {
    const res = hostResponse(kvstore_has(keyRequest(key)));
    const r = new BoolResult();
    if (r.takeError(res)) return r;
    r.value = res.getBool("exists");
    return r;
  }

  /** Keys starting with `prefix` (all for ""), sorted. */
  static list(prefix: string = ""): StringListResult {
    const res = hostResponse(kvstore_list(hostRequest(new JSONWriter().beginObject().string("prefix", prefix).endObject().toString())));
    const r = new StringListResult();
    if (r.takeError(res)) return r;
    r.values = res.getStrings("keys");
    return r;
  }

  static delete(key: string): VoidResult {
    return voidResult(kvstore_delete(keyRequest(key)));
  }

  /** Deletes every key starting with `prefix` (which must not be empty); answers how many. */
  static deleteByPrefix(prefix: string): IntResult {
    const res = hostResponse(kvstore_deletebyprefix(hostRequest(new JSONWriter().beginObject().string("prefix", prefix).endObject().toString())));
    const r = new IntResult();
    if (r.takeError(res)) return r;
    r.value = res.getI64("deletedCount");
    return r;
  }

  /** Bytes used by the stored values (keys are not counted). */
  static storageUsed(): IntResult {
    const res = hostResponse(kvstore_getstorageused(hostRequest("{}")));
    const r = new IntResult();
    if (r.takeError(res)) return r;
    r.value = res.getI64("bytes");
    return r;
  }
}
