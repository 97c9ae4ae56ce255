import "server-only";
import type { Library as LibraryRow } from "../../db/rows";
import { findLibrary, listLibraries } from "../../libraries/libraries";
import { decode, goField } from "../go-json";
import { asyncHostFunction } from "./async-host-function";
import type { HostService, HostServiceContext } from "./registry";
import { LibraryScope } from "./scope";

/**
 * A library as plugins see it (contract §4.8), fields in Go's order. Every field is
 * always present except `path` and `mountPoint`, which only plugins with
 * `library.filesystem` get.
 */
export interface WireLibrary {
  id: number;
  name: string;
  /** Absolute host path. */
  path?: string;
  /** Where the plugin's WASI filesystem shows it: `/libraries/<id>`. */
  mountPoint?: string;
  /** Unix seconds of the last scan; Go's zero time (−62135596800) when never scanned. */
  lastScanAt: number;
  totalSongs: number;
  totalAlbums: number;
  totalArtists: number;
  /** Bytes (int64). */
  totalSize: bigint;
  /** Seconds. */
  totalDuration: number;
}

const GO_ZERO_TIME_UNIX = -62135596800;

/** The guest path of a library's mount. */
export const libraryMountPoint = (id: number) => `/libraries/${id}`;

export function toWireLibrary(l: LibraryRow, withFilesystem: boolean): WireLibrary {
  return {
    id: l.id,
    name: l.name,
    path: withFilesystem ? l.path : undefined,
    mountPoint: withFilesystem ? libraryMountPoint(l.id) : undefined,
    lastScanAt: l.lastScanAt ? Math.floor(l.lastScanAt.getTime() / 1000) : GO_ZERO_TIME_UNIX,
    totalSongs: l.totalSongs,
    totalAlbums: l.totalAlbums,
    totalArtists: l.totalArtists,
    totalSize: l.totalSize,
    totalDuration: l.totalDuration,
  };
}

/**
 * Library host service (`library` permission): metadata of the libraries in the
 * plugin's scope. `getlibrary` refuses IDs outside it; `getalllibraries` filters silently
 * and omits `result` when nothing is left.
 */
export function createLibraryService(ctx: HostServiceContext): HostService {
  const scope = new LibraryScope(ctx.record);
  const withFilesystem = !!ctx.manifest.permissions?.library?.filesystem;
  return {
    functions: {
      library_getlibrary: asyncHostFunction(async (req) => {
        const id = decode.int(goField(req, "id"), "LibraryGetLibraryRequest.id", "/id", "int32") ?? 0;
        if (!scope.contains(id)) throw new Error(`library not accessible: library ID ${id} is not in the allowed list`);
        const lib = await findLibrary(id);
        if (!lib) throw new Error("library not found: data not found");
        return { result: toWireLibrary(lib, withFilesystem) };
      }),
      library_getalllibraries: asyncHostFunction(async () => {
        const libs = (await listLibraries()).filter((l) => scope.contains(l.id)).map((l) => toWireLibrary(l, withFilesystem));
        return libs.length ? { result: libs } : {};
      }),
    },
  };
}
