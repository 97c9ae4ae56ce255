import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { bootTestServer } from "../testing/boot-test-server";
import { createLibrary, deleteLibrary, listLibraries, onLibraryDeleted, updateLibrary } from "./libraries";

beforeAll(async () => {
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
});

describe("libraries", () => {
  it("starts with the MusicFolder library", async () => {
    expect((await listLibraries()).map((l) => l.name)).toEqual(["Music Library"]);
  });

  it("adds a library only for an existing folder, with a unique name and path", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "tess-lib-"));
    await expect(createLibrary({ name: "Ghost", path: path.join(folder, "missing") })).rejects.toMatchObject({ code: "INVALID_INPUT", fields: { path: "not a folder on the server" } });
    const lib = await createLibrary({ name: "Second", path: folder });
    expect(lib.path).toBe(path.resolve(folder));
    await expect(createLibrary({ name: "Second", path: mkdtempSync(path.join(tmpdir(), "tess-lib-")) })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(createLibrary({ name: "Third", path: folder })).rejects.toThrow("this folder is already a library");
  });

  it("forgets a library's catalog when its folder changes", async () => {
    const lib = await db().library.findFirstOrThrow({ where: { name: "Second" } });
    await db().album.create({ data: { id: "al1", libraryId: lib.id, name: "A", albumArtistId: "ar1" } });
    const other = mkdtempSync(path.join(tmpdir(), "tess-lib-"));
    await updateLibrary(lib.id, { name: "Second", path: other });
    expect(await db().album.count({ where: { libraryId: lib.id } })).toBe(0);
  });

  it("runs the deletion hooks (plugin scopes) and refuses to delete the last library", async () => {
    const seen: number[] = [];
    onLibraryDeleted(async (id) => {
      seen.push(id);
    });
    const lib = await db().library.findFirstOrThrow({ where: { name: "Second" } });
    await deleteLibrary(lib.id);
    expect(seen).toEqual([lib.id]);
    const last = await db().library.findFirstOrThrow();
    await expect(deleteLibrary(last.id)).rejects.toThrow("the last library cannot be deleted");
  });
});
