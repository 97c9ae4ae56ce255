import "server-only";
import { mkdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import * as store from "../db/libraries";
import type { Library } from "../db/rows";
import { AppError } from "../errors";
import { remember } from "../server/remember";
import { settings } from "../server/settings";

/** As Navidrome: the first library comes from `MusicFolder` when none exists yet. */
export async function ensureDefaultLibrary(musicFolder: string): Promise<void> {
  if ((await store.countLibraries()) > 0) return;
  mkdirSync(musicFolder, { recursive: true });
  await store.insertLibrary({ name: "Music Library", path: musicFolder });
}

export async function listLibraries() {
  return store.listLibraryRows();
}

export async function findLibrary(id: number): Promise<Library | null> {
  return store.findLibraryRow(id);
}

/** The libraries a user may browse: every library for admins, the assigned ones otherwise. */
export async function libraryIdsForUser(user: { id: string; isAdmin: boolean }): Promise<number[]> {
  return user.isAdmin ? store.allLibraryIds() : store.libraryIdsOfUser(user.id);
}

/** A library as the admin UI and API show it (sizes as numbers, dates as ISO strings). */
export function libraryView(l: Library) {
  return {
    id: l.id,
    name: l.name,
    path: l.path,
    totalSongs: l.totalSongs,
    totalAlbums: l.totalAlbums,
    totalArtists: l.totalArtists,
    totalSize: Number(l.totalSize),
    totalDuration: l.totalDuration,
    lastScanAt: l.lastScanAt?.toISOString() ?? null,
  };
}
export type LibraryView = ReturnType<typeof libraryView>;

export const LibraryInputSchema = z.object({
  name: z.string().trim().min(1, "required").max(200),
  path: z.string().trim().min(1, "required"),
});
export type LibraryInput = z.infer<typeof LibraryInputSchema>;

function checkFolder(p: string): string {
  const abs = path.resolve(p);
  let ok = false;
  try {
    ok = statSync(abs).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new AppError("INVALID_INPUT", "the folder does not exist on the server", { fields: { path: "not a folder on the server" } });
  assertOutsideServerFolders(abs);
  return abs;
}

const realOrResolved = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
};
const isWithin = (child: string, parent: string) => {
  const rel = path.relative(parent, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
};

/**
 * Library folders are read by the scanner and mounted into plugins: one that reaches the
 * server's own files would hand out the database, the encryption key and every plugin's data.
 * Refused: the DataFolder or any folder containing it (`/` included), and the plugin and cache
 * folders with anything inside them. Other sub-folders of the DataFolder hold none of these
 * files (they sit at its top level) and stay allowed, as the MusicFolder often is one.
 * Symbolic links are followed before comparing.
 */
function assertOutsideServerFolders(folder: string): void {
  const { dataFolder, pluginsFolder, cacheFolder } = settings().resolved;
  const lib = realOrResolved(folder);
  const data = realOrResolved(dataFolder);
  const internal = [path.join(dataFolder, "plugins"), pluginsFolder, cacheFolder].map(realOrResolved);
  if (isWithin(data, lib) || internal.some((f) => isWithin(f, lib) || isWithin(lib, f)))
    throw new AppError("INVALID_INPUT", "a library cannot be the server's data folder, contain it, or lie inside its plugin or cache folders", {
      fields: { path: "overlaps the server's data folder" },
    });
}

async function assertUnique(input: LibraryInput, except?: number): Promise<void> {
  const clash = await store.findLibraryClash(input.name, input.path, except);
  if (clash) throw new AppError("CONFLICT", clash.name === input.name ? "a library with this name exists" : "this folder is already a library");
}

export async function createLibrary(input: LibraryInput): Promise<Library> {
  const data = { name: input.name, path: checkFolder(input.path) };
  await assertUnique(data);
  return store.insertLibrary(data);
}

export async function updateLibrary(id: number, input: LibraryInput): Promise<Library> {
  const data = { name: input.name, path: checkFolder(input.path) };
  await assertUnique(data, id);
  const old = await store.findLibraryRow(id);
  if (!old) throw new AppError("NOT_FOUND", "library not found");
  // A new folder means different files: forget the old catalog, the next scan rebuilds it.
  if (old.path !== data.path) await store.forgetLibraryCatalog(id);
  return store.updateLibraryRow(id, data);
}

/** Called after a library is deleted (plugins drop it from their selections, contract §5.8); shared across Next's module instances. */
const deletionHooks = remember("libraryDeletionHooks", () => [] as ((libraryId: number) => Promise<void>)[]);

export function onLibraryDeleted(hook: (libraryId: number) => Promise<void>): void {
  deletionHooks.push(hook);
}

export async function deleteLibrary(id: number): Promise<void> {
  if ((await store.countLibraries()) <= 1) throw new AppError("CONFLICT", "the last library cannot be deleted");
  const found = await store.findLibraryRow(id);
  if (!found) throw new AppError("NOT_FOUND", "library not found");
  await store.deleteLibraryRow(id); // tracks, albums and user assignments cascade
  for (const hook of deletionHooks) await hook(id);
}
