import "server-only";
import { mkdirSync } from "node:fs";
import { db } from "../db/client";

/** As Navidrome: the first library comes from `MusicFolder` when none exists yet. */
export async function ensureDefaultLibrary(musicFolder: string): Promise<void> {
  if ((await db().library.count()) > 0) return;
  mkdirSync(musicFolder, { recursive: true });
  await db().library.create({ data: { name: "Music Library", path: musicFolder } });
}

export async function listLibraries() {
  return db().library.findMany({ orderBy: { id: "asc" } });
}
