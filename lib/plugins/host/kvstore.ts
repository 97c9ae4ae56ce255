import "server-only";
import path from "node:path";
import { log } from "../../log";
import { decode, goField, goMarshal, omitEmpty, parseRequest, type JsonNode } from "../go-json";
import type { HostFunction } from "../engine";
import { hostFunction } from "./config";
import { decodeInt64 } from "./go-int64";
import { parseBytes } from "./go-humanize";
import { goQuote } from "../../go-quote";
import { KVStore } from "./kvstore-store";
import type { HostService, HostServiceContext } from "./registry";

/** Quota when the manifest gives no `maxSize` (1 MiB, while `"1MB"` means 10^6 bytes). */
export const DEFAULT_KVSTORE_MAX_SIZE = 1024 * 1024;
const CLEANUP_INTERVAL_MS = 60 * 60 * 1000;

/** The quota from the manifest's `kvstore.maxSize`, parsed with go-humanize rules (contract §4.5). */
export function kvstoreMaxSize(maxSize: string | undefined): number {
  if (maxSize === undefined || maxSize === "") return DEFAULT_KVSTORE_MAX_SIZE;
  try {
    return parseBytes(maxSize);
  } catch (err) {
    throw new Error(`invalid maxSize ${goQuote(maxSize)}: ${(err as Error).message}`);
  }
}

const enc = new TextEncoder();

/** `hostFunction` for a response holding a Go map: keys sorted, as Go's encoder writes them. */
function sortedHostFunction(body: (req: JsonNode) => Record<string, unknown>): HostFunction {
  return (input) => {
    let result: Record<string, unknown>;
    try {
      result = body(parseRequest(input));
    } catch (err) {
      result = { error: (err as Error).message };
    }
    return enc.encode(goMarshal(result, { sortKeys: true }));
  };
}

/**
 * KVStore host service (contract §4.5): persistent per-plugin storage in its own SQLite
 * file, kept across reloads, restarts and removal. If the store cannot be created (bad
 * `maxSize`, unwritable folder) Navidrome only logs it and registers no functions, so a
 * plugin importing them fails to load.
 */
export function createKVStoreService(ctx: HostServiceContext): HostService {
  const file = path.join(ctx.dataFolder, "plugins", ctx.pluginId, "kvstore.db");
  let store: KVStore;
  try {
    store = new KVStore(file, kvstoreMaxSize(ctx.manifest.permissions?.kvstore?.maxSize));
  } catch (err) {
    const message = `creating kvstore service: ${(err as Error).message}`;
    log.child({ plugin: ctx.pluginId }).error({ err: message }, "Failed to create KVStore service");
    ctx.activity.log("error", message);
    return { functions: {} };
  }
  const cleanup = setInterval(() => {
    try {
      store.cleanupExpired();
    } catch (err) {
      // The next run retries; expired keys are invisible meanwhile.
      log.child({ plugin: ctx.pluginId }).error({ err: (err as Error).message }, "KVStore cleanup failed");
    }
  }, CLEANUP_INTERVAL_MS);
  cleanup.unref();

  const str = (req: JsonNode, t: string, name: string) => decode.string(goField(req, name), `${t}.${name}`, `/${name}`) ?? "";
  const bytes = (req: JsonNode, t: string) => decode.bytes(goField(req, "value"), `${t}.value`, "/value");

  return {
    functions: {
      kvstore_set: hostFunction((req) => {
        store.set(str(req, "KVStoreSetRequest", "key"), bytes(req, "KVStoreSetRequest"));
        return {};
      }),
      kvstore_setwithttl: hostFunction((req) => {
        const t = "KVStoreSetWithTTLRequest";
        const key = str(req, t, "key");
        const value = bytes(req, t);
        const ttl = decodeInt64(goField(req, "ttlSeconds"), `${t}.ttlSeconds`, "/ttlSeconds") ?? 0n;
        if (ttl <= 0n) throw new Error("ttlSeconds must be greater than 0");
        store.set(key, value, ttl);
        return {};
      }),
      kvstore_get: hostFunction((req) => {
        const value = store.get(str(req, "KVStoreGetRequest", "key"));
        return value === undefined ? {} : omitEmpty({ value, exists: true });
      }),
      kvstore_getmany: sortedHostFunction((req) => {
        const keys = decode.stringArray(goField(req, "keys"), "KVStoreGetManyRequest.keys", "/keys") ?? [];
        return omitEmpty({ values: Object.fromEntries(store.getMany(keys)) });
      }),
      kvstore_has: hostFunction((req) => omitEmpty({ exists: store.has(str(req, "KVStoreHasRequest", "key")) })),
      kvstore_list: hostFunction((req) => omitEmpty({ keys: store.list(str(req, "KVStoreListRequest", "prefix")) })),
      kvstore_delete: hostFunction((req) => {
        store.delete(str(req, "KVStoreDeleteRequest", "key"));
        return {};
      }),
      kvstore_deletebyprefix: hostFunction((req) => omitEmpty({ deletedCount: store.deleteByPrefix(str(req, "KVStoreDeleteByPrefixRequest", "prefix")) })),
      kvstore_getstorageused: hostFunction(() => omitEmpty({ bytes: store.storageUsed() })),
    },
    close: async () => {
      clearInterval(cleanup);
      store.close();
    },
    status: () => ({ file, maxSize: store.maxSize, used: store.storageUsed() }),
  };
}
