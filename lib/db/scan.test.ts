import { beforeAll, describe, expect, it } from "vitest";
import { bootTestServer } from "../testing/boot-test-server";
import { db } from "./client";
import { insertLibrary } from "./libraries";
import * as q from "./scan";

/** The scanner's queries on their own (lib/scanner/scanner.test.ts drives them through real scans). */

let lib = 0;
let other = 0;
const mtime = new Date("2024-01-01T00:00:00Z");
const track = (path: string, extra: Record<string, unknown> = {}) => ({
  id: `${lib}:${path}`,
  libraryId: lib,
  path,
  title: path,
  album: "Album",
  albumId: "al1",
  artistId: "ar1",
  albumArtist: "Art",
  albumArtistId: "ar1",
  participants: JSON.stringify([{ id: "ar1", name: "Art", role: "artist" }, { id: "ar2", name: "Guest", role: "artist" }]),
  genres: '["Rock"]',
  size: 100n,
  duration: 2,
  mtime,
  ...extra,
});

beforeAll(async () => {
  const { dataFolder } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  lib = (await db().library.findFirstOrThrow()).id;
  other = (await insertLibrary({ name: "Other", path: `${dataFolder}/other` })).id;
});

describe("scan queries", () => {
  it("pick the libraries to scan and stamp a scan's start", async () => {
    expect((await q.librariesToScan()).map((l) => l.id)).toEqual([lib, other]);
    expect((await q.librariesToScan(other)).map((l) => l.id)).toEqual([other]);
    await q.markScanStarted(other);
    expect((await db().library.findUniqueOrThrow({ where: { id: other } })).lastScanStartedAt).toBeInstanceOf(Date);
  });

  it("replace tracks by path, delete missing ones, and answer their stamps", async () => {
    await q.replaceTracks(lib, [track("a.wav"), track("b.wav")]);
    await q.replaceTracks(lib, [track("a.wav", { title: "A again", size: 200n })]);
    expect(await q.trackStamps(lib)).toEqual(new Map([["a.wav", { mtime, size: 200n }], ["b.wav", { mtime, size: 100n }]]));
    expect((await db().mediaFile.findUniqueOrThrow({ where: { id: `${lib}:a.wav` } })).title).toBe("A again");
    await q.deleteTracksAt(lib, ["b.wav"]);
    expect([...(await q.trackStamps(lib)).keys()]).toEqual(["a.wav"]);
    expect(await q.trackStamps(other)).toEqual(new Map());
  });

  it("answer album and artist sources with decoded JSON columns", async () => {
    const [src] = await q.albumSourceTracks(lib);
    expect([src.albumId, src.genres, src.size]).toEqual(["al1", ["Rock"], 200n]);
    const [credits] = await q.artistSourceTracks();
    expect(credits.participants.map((p) => p.id)).toEqual(["ar1", "ar2"]);
  });

  it("replace albums keeping agent info and creation time of those that stay", async () => {
    await q.replaceAlbums(lib, [{ id: "al1", libraryId: lib, name: "Album", albumArtistId: "ar1" }, { id: "al2", libraryId: lib, name: "Gone", albumArtistId: "ar1" }], 1);
    const created = new Date("2020-01-01T00:00:00Z");
    await db().album.update({ where: { id: "al1" }, data: { description: "from an agent", createdAt: created } });
    await q.replaceAlbums(lib, [{ id: "al1", libraryId: lib, name: "Album (renamed)", albumArtistId: "ar1" }], 1);
    const albums = await db().album.findMany({ where: { libraryId: lib } });
    expect(albums.map((a) => [a.id, a.name, a.description, a.createdAt])).toEqual([["al1", "Album (renamed)", "from an agent", created]]);
  });

  it("sync artists: others deleted, existing updated with agent info kept, new ones created", async () => {
    const artist = (id: string, name: string) => ({ id, name, sortName: name, orderName: name.toLowerCase(), mbzArtistId: "", albumCount: 1, songCount: 1, size: 1n });
    await q.syncArtists([artist("ar1", "Art"), artist("old", "Old")]);
    await db().artist.update({ where: { id: "ar1" }, data: { biography: "bio" } });
    await q.syncArtists([artist("ar1", "Art 2"), artist("ar2", "Guest")]);
    const rows = await db().artist.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((a) => [a.id, a.name, a.biography])).toEqual([["ar1", "Art 2", "bio"], ["ar2", "Guest", ""]]);
  });

  it("refresh a library's totals and stamp the scan's end", async () => {
    await q.replaceTracks(lib, [track("c.wav", { artistId: "ar2" })]);
    await q.refreshLibraryTotals(lib);
    const l = await db().library.findUniqueOrThrow({ where: { id: lib } });
    expect([l.totalSongs, l.totalAlbums, l.totalArtists, l.totalSize, l.totalDuration]).toEqual([2, 1, 2, 300n, 4]);
    expect(l.lastScanAt).toBeInstanceOf(Date);
  });
});
