import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { bootTestServer } from "../testing/boot-test-server";
import { db } from "./client";
import { migrateDatabase, readMigrations } from "./migrate";
import { deleteTracksAt, replaceAlbums, replaceTracks, syncArtists } from "./scan";
import { ftsQuery, searchAlbums, searchArtists, searchTracks } from "./search";

/**
 * Full-text search (issue #18): the FTS5 indexes of migration 20261206191500, their
 * tokenizer (case and accents folded, word prefixes), the escaping of user input, and the
 * triggers that keep them in step with the scanner's prepared statements and with Prisma.
 */

let lib = 0;
const page = { skip: 0, take: 50 };
const libs = () => ({ ids: [lib], all: true });
const titles = async (words: string[]) => (await searchTracks(words, libs(), page)).map((t) => t.title);

const track = (id: string, title: string, artist: string, album: string) => ({
  id,
  libraryId: lib,
  path: `${artist}/${album}/${id}.flac`,
  title,
  album,
  albumId: `al-${album}`,
  artist,
  artistId: `ar-${artist}`,
  albumArtistId: `ar-${artist}`,
  albumArtist: artist,
  mtime: new Date("2026-01-01T00:00:00Z"),
});

beforeAll(async () => {
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  lib = (await db().library.findFirstOrThrow()).id;
  await replaceTracks(lib, [
    track("t1", "Échos de la Nuit", "Beyoncé", "Lemonade"),
    track("t2", "Мир и война", "Кино", "Группа крови"),
    track("t3", "Rock AND Roll (Live)", "Led Zeppelin", "IV"),
    track("t4", "100% Pure_Love", "Crystal Waters", "Storyteller"),
    track("t5", "Night Echoes", "AC/DC", "Back in Black"),
    track("t6", 'Say "Hello"', "Ñandú", "Pájaros"),
  ]);
  await replaceAlbums(lib, [
    { id: "al-Lemonade", libraryId: lib, name: "Lemonade", albumArtistId: "ar-Beyoncé", albumArtist: "Beyoncé", orderName: "lemonade" },
    { id: "al-Pájaros", libraryId: lib, name: "Pájaros", albumArtistId: "ar-Ñandú", albumArtist: "Ñandú", orderName: "pájaros" },
  ]);
  await syncArtists(
    ["Beyoncé", "Кино", "Ñandú", "AC/DC"].map((name) => ({ id: `ar-${name}`, name, sortName: name, orderName: name.toLowerCase(), mbzArtistId: "", albumCount: 1, songCount: 1, size: 0n })),
  );
});

describe("the FTS5 search index", () => {
  it("is compiled into the SQLite that better-sqlite3 ships", async () => {
    const [{ fts5 }] = await db().$queryRawUnsafe<{ fts5: number | bigint }[]>("SELECT sqlite_compileoption_used('ENABLE_FTS5') AS fts5");
    expect(Number(fts5)).toBe(1);
  });

  it("ignores case and accents, in every script", async () => {
    for (const q of ["echos", "ÉCHOS", "échos", "Echos"]) expect(await titles([q])).toEqual(["Échos de la Nuit"]);
    expect(await titles(["мир"])).toEqual(["Мир и война"]);
    expect(await titles(["МИР"])).toEqual(["Мир и война"]);
    expect(await titles(["beyonce"])).toEqual(["Échos de la Nuit"]); // artist column
    expect(await titles(["nandu"])).toEqual(['Say "Hello"']);
    expect((await searchArtists(["NANDU"], null, page)).map((a) => a.name)).toEqual(["Ñandú"]);
    expect((await searchAlbums(["pajaros"], libs(), page)).map((a) => a.name)).toEqual(["Pájaros"]);
    expect((await searchAlbums(["beyonce"], libs(), page)).map((a) => a.name)).toEqual(["Lemonade"]); // album artist column
  });

  it("matches the start of words, and every word of the query", async () => {
    expect(await titles(["ech"])).toEqual(["Night Echoes", "Échos de la Nuit"]); // by title, SQLite's binary order (as before FTS)
    expect(await titles(["chos"])).toEqual([]); // not inside a word
    expect(await titles(["ech", "nuit"])).toEqual(["Échos de la Nuit"]);
    expect(await titles(["ech", "beyon"])).toEqual(["Échos de la Nuit"]); // across columns
    expect(await titles(["ech", "nobody"])).toEqual([]);
    expect(await titles(["ac/dc"])).toEqual(["Night Echoes"]);
  });

  it("takes user input literally: FTS5 syntax is quoted, LIKE wildcards match nothing special", async () => {
    expect(await titles(["and", "roll"])).toEqual(["Rock AND Roll (Live)"]);
    expect(await titles(["AND"])).toEqual(["Rock AND Roll (Live)"]);
    for (const q of ["OR", "NOT", "NEAR(", "title:rock", "^rock", "(live)", "-rock", "+", "'", '"', '"hello', "*", "a*b", "{title}:x", "rock)"])
      await expect(searchTracks([q], libs(), page), q).resolves.toBeInstanceOf(Array);
    expect(await titles(['"hello"'])).toEqual(['Say "Hello"']);
    expect(await titles(["(live)"])).toEqual(["Rock AND Roll (Live)"]);
    expect(await titles(["title:rock"])).toEqual([]); // a phrase "title rock", not a column filter
    expect(await titles(["100%"])).toEqual(["100% Pure_Love"]);
    expect(await titles(["%"])).toEqual([]); // no letter or digit: matches nothing rather than everything
    expect(await titles(["_"])).toEqual([]);
    expect(await titles(["pure_love"])).toEqual(["100% Pure_Love"]);
    expect(ftsQuery(['a"b', "c"])).toBe('"a""b"* "c"*');
  });

  it("follows the scanner's writes: new, renamed and deleted tracks", async () => {
    await replaceTracks(lib, [track("t7", "Zyzzyva Song", "Someone", "Something")]);
    expect(await titles(["zyzzyva"])).toEqual(["Zyzzyva Song"]);
    await replaceTracks(lib, [track("t7", "Quokka Song", "Someone", "Something")]);
    expect(await titles(["zyzzyva"])).toEqual([]);
    expect(await titles(["quokka"])).toEqual(["Quokka Song"]);
    await replaceTracks(lib, [track("t7", "Quokka Song", "Someone", "Something")]); // unchanged: no write
    expect(await titles(["quokka"])).toEqual(["Quokka Song"]);
    await deleteTracksAt(lib, ["Someone/Something/t7.flac"]);
    expect(await titles(["quokka"])).toEqual([]);
  });

  it("follows writes through Prisma too (any write path), for every kind", async () => {
    await db().mediaFile.update({ where: { id: "t5" }, data: { title: "Midnight Echoes" } });
    expect(await titles(["midnight"])).toEqual(["Midnight Echoes"]);
    expect(await titles(["night"])).toEqual([]);
    await db().artist.update({ where: { id: "ar-Кино" }, data: { name: "Kino" } });
    expect((await searchArtists(["kino"], null, page)).map((a) => a.id)).toEqual(["ar-Кино"]);
    expect(await searchArtists(["кино"], null, page)).toEqual([]);
    await db().album.delete({ where: { id: "al-Lemonade" } });
    expect(await searchAlbums(["lemonade"], libs(), page)).toEqual([]);
    const integrity = async (t: string) => db().$executeRawUnsafe(`INSERT INTO "${t}" ("${t}") VALUES ('integrity-check')`);
    for (const t of ["ArtistFts", "AlbumFts", "MediaFileFts"]) await expect(integrity(t)).resolves.toBe(1);
  });

  it("pages a broad match by walking the title index, in the same order as a narrow one", async () => {
    // More matches than the narrow plan takes: the index walk must agree with a full sort.
    const many = Array.from({ length: 2_100 }, (_, i) => track(`b${i}`, `Broad ${String((i * 7919) % 2100).padStart(4, "0")}`, "Wide", "Many"));
    await replaceTracks(lib, many);
    const pages = [];
    for (let skip = 0; skip < 2_100; skip += 500) pages.push(...(await searchTracks(["broad"], libs(), { skip, take: 500 })));
    const expected = many.map((t) => t.title).sort();
    expect(pages.map((t) => t.title)).toEqual(expected);
    const plan = await db().$queryRawUnsafe<{ detail: string }[]>(
      `EXPLAIN QUERY PLAN SELECT rowid FROM MediaFile WHERE +rowid IN (SELECT rowid FROM MediaFileFts WHERE MediaFileFts MATCH '"broad"*') ORDER BY title, rowid LIMIT 20`,
    );
    expect(plan.map((p) => p.detail).join("; ")).toMatch(/SCAN MediaFile USING (COVERING )?INDEX MediaFile_title_idx/);
    await deleteTracksAt(lib, many.map((t) => t.path));
  });
});

describe("the search migration", () => {
  it("indexes the catalogue a database already holds when it is upgraded", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "fts-upgrade-")), "db.sqlite");
    const all = readMigrations();
    const mine = all.findIndex((m) => m.name.endsWith("_search_fts_list_indexes"));
    migrateDatabase(file, all.slice(0, mine));
    const conn = new Database(file);
    conn.exec(`INSERT INTO Library (id, name, path, updatedAt) VALUES (1, 'l', '/l', '2026-01-01T00:00:00.000+00:00');
      INSERT INTO Artist (id, name, updatedAt) VALUES ('a', 'Sigur Rós', '2026-01-01T00:00:00.000+00:00');
      INSERT INTO MediaFile (id, libraryId, path, title, albumId, artistId, albumArtistId, mtime, updatedAt)
        VALUES ('m', 1, 'x.flac', 'Hoppípolla', 'al', 'a', 'a', '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.000+00:00');`);
    conn.close();
    migrateDatabase(file, all);
    const after = new Database(file, { readonly: true });
    expect(after.prepare("SELECT rowid FROM MediaFileFts WHERE MediaFileFts MATCH '\"hoppipolla\"*'").all()).toHaveLength(1);
    expect(after.prepare("SELECT rowid FROM ArtistFts WHERE ArtistFts MATCH '\"ros\"*'").all()).toHaveLength(1);
    after.close();
  });
});
