import "server-only";
import { catalogChanged } from "./catalog-generation";
import { db } from "./client";
import type { Library } from "./generated/prisma/client";

/**
 * The `Library` and `UserLibrary` tables: which libraries exist and who may browse them.
 */

/** Every library id, ascending. */
export async function allLibraryIds(): Promise<number[]> {
  return (await db().library.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((l) => l.id);
}

/** Whether a user has "all libraries" (which covers libraries added later). */
async function hasAllLibraries(userId: string): Promise<boolean> {
  return (await db().user.findUnique({ where: { id: userId }, select: { allLibraries: true } }))?.allLibraries === true;
}

/** Ids of the libraries a user may browse: every library with "all libraries", else the assigned ones. */
export async function libraryIdsOfUser(userId: string): Promise<number[]> {
  if (await hasAllLibraries(userId)) return allLibraryIds();
  return (await db().userLibrary.findMany({ where: { userId }, select: { libraryId: true }, orderBy: { libraryId: "asc" } })).map((l) => l.libraryId);
}

/** Whether a library with this id exists. */
export async function libraryExists(id: number): Promise<boolean> {
  return (await db().library.findUnique({ where: { id }, select: { id: true } })) !== null;
}

export async function countLibraries(): Promise<number> {
  return db().library.count();
}

/** The libraries with these ids, by id. */
export async function findLibrariesByIds(ids: number[]): Promise<Library[]> {
  return db().library.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
}

/** The latest finished scan over these libraries, or null when none finished. */
export async function lastScanOf(ids: number[]): Promise<Date | null> {
  const agg = await db().library.aggregate({ where: { id: { in: ids } }, _max: { lastScanAt: true } });
  return agg._max.lastScanAt;
}

/** Per-library scan totals (scan status): songs counted and the last finished scan. */
export async function libraryScanTotals(): Promise<{ totalSongs: number; lastScanAt: Date | null }[]> {
  return db().library.findMany({ select: { totalSongs: true, lastScanAt: true } });
}

/** Every library, by id. */
export async function listLibraryRows(): Promise<Library[]> {
  return db().library.findMany({ orderBy: { id: "asc" } });
}

export async function findLibraryRow(id: number): Promise<Library | null> {
  return db().library.findUnique({ where: { id } });
}

/** A library other than `except` with this name or this path. */
export async function findLibraryClash(name: string, path: string, except?: number): Promise<Library | null> {
  return db().library.findFirst({ where: { OR: [{ name }, { path }], NOT: except ? { id: except } : undefined } });
}

export async function insertLibrary(data: { name: string; path: string }): Promise<Library> {
  return db().library.create({ data });
}

export async function updateLibraryRow(id: number, data: { name: string; path: string }): Promise<Library> {
  return db().library.update({ where: { id }, data });
}

/** Deletes a library's tracks and albums (its folder changed; the next scan rebuilds them), in one transaction. */
export async function forgetLibraryCatalog(id: number): Promise<void> {
  try {
    await db().$transaction([db().mediaFile.deleteMany({ where: { libraryId: id } }), db().album.deleteMany({ where: { libraryId: id } })]);
  } finally {
    catalogChanged(); // cached catalog answers (lib/catalog/artist-index-cache) are stale
  }
}

/** Deletes a library; its tracks, albums and user assignments cascade. */
export async function deleteLibraryRow(id: number): Promise<void> {
  try {
    await db().library.delete({ where: { id } });
  } finally {
    catalogChanged();
  }
}

/** Assigns a library to a user (who may then browse it). */
export async function assignLibrary(userId: string, libraryId: number): Promise<void> {
  await db().userLibrary.create({ data: { userId, libraryId } });
}

/** Whether a user may browse a library (assigned, or "all libraries"). */
export async function userHasLibrary(userId: string, libraryId: number): Promise<boolean> {
  if (await hasAllLibraries(userId)) return libraryExists(libraryId);
  return (await db().userLibrary.findUnique({ where: { userId_libraryId: { userId, libraryId } } })) !== null;
}

/** Every track id of one library, in path order (bench and tooling). */
export async function mediaFileIdsOfLibrary(libraryId: number): Promise<string[]> {
  return (await db().mediaFile.findMany({ where: { libraryId }, select: { id: true }, orderBy: { path: "asc" } })).map((m) => m.id);
}
