import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { goMarshal } from "../go-json";
import type { HostService, HostServiceContext } from "./registry";

/** Where the plugin sees its storage folder (contract §4.13). */
export const STORAGE_MOUNT = "/storage";

/** The host folder mounted read-write at `/storage`: `<DataFolder>/plugins/<id>/storage`. */
export function pluginStoragePath(dataFolder: string, pluginId: string): string {
  return path.join(dataFolder, "plugins", pluginId, "storage");
}

/**
 * Storage host service (contract §4.13, a later Navidrome addition): creates the plugin's
 * private folder (0700, never deleted) and answers its mount point. The WASI mount itself
 * belongs to the engine's filesystem setup. A folder that cannot be created fails the load.
 */
export function createStorageService(ctx: HostServiceContext): HostService {
  try {
    mkdirSync(pluginStoragePath(ctx.dataFolder, ctx.pluginId), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new Error(`creating Storage service: creating plugin data directory: ${(err as Error).message}`, { cause: err });
  }
  const response = new TextEncoder().encode(goMarshal({ result: STORAGE_MOUNT }));
  return {
    functions: {
      // Navidrome never reads the request here, so even an undecodable one gets the path.
      storage_getstoragepath: () => response,
    },
  };
}
