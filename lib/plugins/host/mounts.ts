import "server-only";
import type { PluginRecord } from "../../db/plugins";
import { listLibraries } from "../../libraries/libraries";
import type { WasiMount } from "../engine";
import type { Manifest } from "../manifest/types";
import { libraryMountPoint } from "./library";
import { LibraryScope } from "./scope";
import { pluginStoragePath, STORAGE_MOUNT } from "./storage";

/**
 * The WASI filesystem of a plugin (contract §2.8, §5.5 step 3), computed at load as
 * Navidrome does, so new libraries or changed paths need a reload:
 *   * with `library.filesystem`, each library in the plugin's scope at `/libraries/<id>`
 *     (by ID), read-only unless the admin allowed write access;
 *   * with `storage`, the plugin's own folder read-write at `/storage`, last.
 * The engine jails every path to its mount.
 */
export async function pluginMounts(record: PluginRecord, manifest: Manifest, dataFolder: string): Promise<WasiMount[]> {
  const mounts: WasiMount[] = [];
  if (manifest.permissions?.library?.filesystem) {
    const scope = new LibraryScope(record);
    // No library in scope: nothing to mount, and no database needed (the offline CLI `verify`).
    for (const lib of scope.configured ? await listLibraries() : []) {
      if (scope.contains(lib.id)) mounts.push({ guestPath: libraryMountPoint(lib.id), hostPath: lib.path, readOnly: !record.allowWriteAccess });
    }
  }
  if (manifest.permissions?.storage) mounts.push({ guestPath: STORAGE_MOUNT, hostPath: pluginStoragePath(dataFolder, record.id), readOnly: false });
  return mounts;
}
