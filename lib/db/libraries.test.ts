import { mkdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bootTestServer } from "../testing/boot-test-server";
import { db } from "./client";
import * as q from "./libraries";
import { insertUser } from "./users";

let folder = "";
let first = 0;

beforeAll(async () => {
  const { dataFolder } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  folder = dataFolder;
  first = (await db().library.findFirstOrThrow()).id;
  await insertUser({ id: "u1", userName: "u1", name: "", email: "", password: "x", isAdmin: false });
});

const dir = (name: string) => {
  const p = path.join(folder, name);
  mkdirSync(p, { recursive: true });
  return p;
};

describe("library queries", () => {
  it("insert, find, list, count and find name or path clashes", async () => {
    const b = await q.insertLibrary({ name: "B", path: dir("b") });
    expect((await q.findLibraryRow(b.id))?.name).toBe("B");
    expect(await q.findLibraryRow(999)).toBeNull();
    expect((await q.listLibraryRows()).map((l) => l.id)).toEqual([first, b.id]);
    expect(await q.allLibraryIds()).toEqual([first, b.id]);
    expect(await q.countLibraries()).toBe(2);
    expect(await q.libraryExists(b.id)).toBe(true);
    expect(await q.libraryExists(999)).toBe(false);
    expect((await q.findLibrariesByIds([b.id, 999])).map((l) => l.id)).toEqual([b.id]);
    expect((await q.findLibraryClash("B", "/elsewhere"))?.id).toBe(b.id);
    expect((await q.findLibraryClash("other", dir("b")))?.id).toBe(b.id);
    expect(await q.findLibraryClash("B", dir("b"), b.id)).toBeNull();
  });

  it("update, assign to users, and delete", async () => {
    const c = await q.insertLibrary({ name: "C", path: dir("c") });
    expect((await q.updateLibraryRow(c.id, { name: "C2", path: dir("c2") })).name).toBe("C2");
    expect(await q.libraryIdsOfUser("u1")).toEqual([]);
    await q.assignLibrary("u1", c.id);
    expect(await q.libraryIdsOfUser("u1")).toEqual([c.id]);
    expect(await q.userHasLibrary("u1", c.id)).toBe(true);
    expect(await q.userHasLibrary("u1", first)).toBe(false);
    await q.deleteLibraryRow(c.id);
    expect(await q.libraryIdsOfUser("u1")).toEqual([]);
    expect(await q.findLibraryRow(c.id)).toBeNull();
  });

  it("report scan times and totals, and forget a library's catalog", async () => {
    const d = await q.insertLibrary({ name: "D", path: dir("d") });
    expect(await q.lastScanOf([d.id])).toBeNull();
    const at = new Date("2024-05-01T00:00:00Z");
    await db().library.update({ where: { id: d.id }, data: { lastScanAt: at, totalSongs: 7 } });
    expect(await q.lastScanOf([first, d.id])).toEqual(at);
    expect(await q.libraryScanTotals()).toContainEqual({ totalSongs: 7, lastScanAt: at });
    await db().album.create({ data: { id: "al", libraryId: d.id, name: "x", albumArtistId: "a" } });
    await db().mediaFile.create({ data: { id: "mf", libraryId: d.id, path: "x.wav", title: "x", albumId: "al", artistId: "a", albumArtistId: "a", mtime: at } });
    await q.forgetLibraryCatalog(d.id);
    expect(await db().album.count({ where: { libraryId: d.id } })).toBe(0);
    expect(await db().mediaFile.count({ where: { libraryId: d.id } })).toBe(0);
  });
});
