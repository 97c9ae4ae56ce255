// Cache host service (`cache` permission, contract §4.4): an in-memory TTL cache private to
// the plugin. `ttlSeconds` ≤ 0 means 24 hours; every read refreshes an entry's TTL. A get of
// another type than was stored answers "not there". The cache is emptied on every reload
// (including after each settings save) and on restart.
import { hostRequest, hostResponse } from "../lib/host";
import { JSONWriter } from "../lib/json";
import { BoolResult, BytesResult, FloatResult, IntResult, StringResult, VoidResult } from "../lib/results";

@external("extism:host/user", "cache_setstring")
declare function cache_setstring(offset: u64): u64;
@external("extism:host/user", "cache_getstring")
declare function cache_getstring(offset: u64): u64;
@external("extism:host/user", "cache_setint")
declare function cache_setint(offset: u64): u64;
@external("extism:host/user", "cache_getint")
declare function cache_getint(offset: u64): u64;
@external("extism:host/user", "cache_setfloat")
declare function cache_setfloat(offset: u64): u64;
@external("extism:host/user", "cache_getfloat")
declare function cache_getfloat(offset: u64): u64;
@external("extism:host/user", "cache_setbytes")
declare function cache_setbytes(offset: u64): u64;
@external("extism:host/user", "cache_getbytes")
declare function cache_getbytes(offset: u64): u64;
@external("extism:host/user", "cache_has")
declare function cache_has(offset: u64): u64;
@external("extism:host/user", "cache_remove")
declare function cache_remove(offset: u64): u64;

function keyRequest(key: string): u64 {
  return hostRequest(new JSONWriter().beginObject().string("key", key).endObject().toString());
}

function voidResult(offset: u64): VoidResult {
  const r = new VoidResult();
  r.takeError(hostResponse(offset));
  return r;
}

export class Cache {
  static setString(key: string, value: string, ttlSeconds: i64 = 0): VoidResult {
    return voidResult(cache_setstring(hostRequest(new JSONWriter().beginObject().string("key", key).string("value", value).int("ttlSeconds", ttlSeconds).endObject().toString())));
  }

  static getString(key: string): StringResult {
    const res = hostResponse(cache_getstring(keyRequest(key)));
    const r = new StringResult();
    if (r.takeError(res)) return r;
    r.value = res.getString("value");
    r.exists = res.getBool("exists");
    return r;
  }

  static setInt(key: string, value: i64, ttlSeconds: i64 = 0): VoidResult {
    return voidResult(cache_setint(hostRequest(new JSONWriter().beginObject().string("key", key).int("value", value).int("ttlSeconds", ttlSeconds).endObject().toString())));
  }

  static getInt(key: string): IntResult {
    const res = hostResponse(cache_getint(keyRequest(key)));
    const r = new IntResult();
    if (r.takeError(res)) return r;
    r.value = res.getI64("value");
    r.exists = res.getBool("exists");
    return r;
  }

  static setFloat(key: string, value: f64, ttlSeconds: i64 = 0): VoidResult {
    return voidResult(cache_setfloat(hostRequest(new JSONWriter().beginObject().string("key", key).float("value", value).int("ttlSeconds", ttlSeconds).endObject().toString())));
  }

  static getFloat(key: string): FloatResult {
    const res = hostResponse(cache_getfloat(keyRequest(key)));
    const r = new FloatResult();
    if (r.takeError(res)) return r;
    r.value = res.getF64("value");
    r.exists = res.getBool("exists");
    return r;
  }

  static setBytes(key: string, value: Uint8Array, ttlSeconds: i64 = 0): VoidResult {
    return voidResult(cache_setbytes(hostRequest(new JSONWriter().beginObject().string("key", key).bytes("value", value).int("ttlSeconds", ttlSeconds).endObject().toString())));
  }

  static getBytes(key: string): BytesResult {
    const res = hostResponse(cache_getbytes(keyRequest(key)));
    const r = new BytesResult();
    if (r.takeError(res)) return r;
    r.value = res.getBytes("value");
    r.exists = res.getBool("exists");
    return r;
  }

  static has(key: string): BoolResult {
    const res = hostResponse(cache_has(keyRequest(key)));
    const r = new BoolResult();
    if (r.takeError(res)) return r;
    r.value = res.getBool("exists");
    return r;
  }

  static remove(key: string): VoidResult {
    return voidResult(cache_remove(keyRequest(key)));
  }
}
