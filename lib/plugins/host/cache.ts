import "server-only";
import { decode, goField, omitEmpty, type JsonNode } from "../go-json";
import type { HostFunction } from "../engine";
import { CacheStore, type CacheValue } from "./cache-store";
import { hostFunction } from "./config";
import { decodeInt64 } from "./go-int64";
import type { HostService, HostServiceContext } from "./registry";

/** TTL used when `ttlSeconds ≤ 0` (contract §4.4). */
export const DEFAULT_CACHE_TTL_MS = 24 * 60 * 60 * 1000;
/** Memory bound per plugin (Tessitura's addition; Navidrome has none). Least recently used entries go first. */
export const CACHE_MAX_BYTES = 64 * 1024 * 1024;
const SWEEP_INTERVAL_MS = 60_000;

/** A setter's `ttlSeconds` in milliseconds: the 24 h default when ≤ 0 or absent. */
export function cacheTtlMs(seconds: bigint | undefined): number {
  if (seconds === undefined || seconds <= 0n) return DEFAULT_CACHE_TTL_MS;
  // Beyond ~285,000 years the TTL no longer matters; keep it a safe JavaScript number.
  return Number(seconds > 9_000_000_000_000n ? 9_000_000_000_000n : seconds) * 1000;
}

/**
 * Cache host service (contract §4.4): a per-plugin in-memory TTL cache with typed
 * getters and setters. A get of another type than was stored answers `{}` while the
 * entry stays (so `cache_has` is still true). Emptied when the plugin unloads.
 */
export function createCacheService(_ctx: HostServiceContext, opts: { maxBytes?: number } = {}): HostService {
  const store = new CacheStore(opts.maxBytes ?? CACHE_MAX_BYTES);
  const sweeper = setInterval(() => store.sweep(), SWEEP_INTERVAL_MS);
  sweeper.unref();

  const key = (req: JsonNode, t: string) => decode.string(goField(req, "key"), `${t}.key`, "/key") ?? "";
  const setter = (t: string, value: (req: JsonNode) => CacheValue): HostFunction =>
    hostFunction((req) => {
      const k = key(req, t);
      const v = value(req);
      store.set(k, v, cacheTtlMs(decodeInt64(goField(req, "ttlSeconds"), `${t}.ttlSeconds`, "/ttlSeconds")));
      return {};
    });
  const getter = (t: string, type: CacheValue["type"]): HostFunction =>
    hostFunction((req) => {
      const v = store.get(key(req, t));
      return v?.type === type ? omitEmpty({ value: v.value, exists: true }) : {};
    });
  return {
    functions: {
      cache_setstring: setter("CacheSetStringRequest", (req) => ({
        type: "string",
        value: decode.string(goField(req, "value"), "CacheSetStringRequest.value", "/value") ?? "",
      })),
      cache_getstring: getter("CacheGetStringRequest", "string"),
      cache_setint: setter("CacheSetIntRequest", (req) => ({
        type: "int",
        value: decodeInt64(goField(req, "value"), "CacheSetIntRequest.value", "/value") ?? 0n,
      })),
      cache_getint: getter("CacheGetIntRequest", "int"),
      cache_setfloat: setter("CacheSetFloatRequest", (req) => ({
        type: "float",
        value: decode.float(goField(req, "value"), "CacheSetFloatRequest.value", "/value") ?? 0,
      })),
      cache_getfloat: getter("CacheGetFloatRequest", "float"),
      cache_setbytes: setter("CacheSetBytesRequest", (req) => ({
        type: "bytes",
        value: decode.bytes(goField(req, "value"), "CacheSetBytesRequest.value", "/value"),
      })),
      cache_getbytes: getter("CacheGetBytesRequest", "bytes"),
      cache_has: hostFunction((req) => omitEmpty({ exists: store.get(key(req, "CacheHasRequest")) !== undefined })),
      cache_remove: hostFunction((req) => {
        store.remove(key(req, "CacheRemoveRequest"));
        return {};
      }),
    },
    close: async () => {
      clearInterval(sweeper);
      store.clear();
    },
    status: () => ({ entries: store.size, bytes: store.usedBytes, maxBytes: store.maxBytes }),
  };
}
