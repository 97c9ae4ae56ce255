import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { startSubsonicTestServer, type SubsonicTestServer } from "../testing/subsonic-test-server";
import { assertWellFormedXml, xmlElements } from "../testing/xml-check";

let s: SubsonicTestServer;
const errorCode = (r: { status: string }) => (r as { error?: { code: number } }).error?.code;

beforeAll(async () => {
  s = await startSubsonicTestServer({ generated: { artists: 20, albums: 5, tracks: 10 } });
});
afterAll(() => s?.close());

const DEMO_BY_NAME = ["Calibration", "Harmonics", "Pure Tones", "Sine Waves"];

describe("getAlbumList2", () => {
  it("pages alphabetically through every album of every library", async () => {
    const all = (await s.admin.getAlbumList2({ type: "alphabeticalByName", size: 500 })).albumList2.album!;
    expect(all).toHaveLength(104);
    expect(all.slice(-4).map((a) => a.name)).toEqual(DEMO_BY_NAME);
    const paged = [];
    for (let offset = 0; offset < 104; offset += 30) paged.push(...(await s.admin.getAlbumList2({ type: "alphabeticalByName", size: 30, offset })).albumList2.album!);
    expect(paged.map((a) => a.id)).toEqual(all.map((a) => a.id));
    expect(new Set(paged.map((a) => a.id)).size).toBe(104);
  });

  it("pages through one shuffle with type=random and offset, and reshuffles for a new listing (offset 0)", async () => {
    const page = async (offset: number) => (await s.admin.getAlbumList2({ type: "random", size: 30, offset })).albumList2.album!.map((a) => a.id);
    const first = await page(0);
    const pages = [...first, ...(await page(30)), ...(await page(60)), ...(await page(90))];
    expect(pages).toHaveLength(104);
    expect(new Set(pages).size).toBe(104); // no album twice, none skipped
    const alphabetical = (await s.admin.getAlbumList2({ type: "alphabeticalByName", size: 500 })).albumList2.album!.map((a) => a.id);
    expect(pages).not.toEqual(alphabetical);
    const again = await page(0);
    expect(again).not.toEqual(first); // 104!/74! orders: the same page twice means the seed did not change
  });

  it("answers 10 albums by default and at most 500", async () => {
    expect((await s.admin.getAlbumList2({ type: "newest" })).albumList2.album).toHaveLength(10);
    expect((await s.admin.getAlbumList2({ type: "newest", size: 5000 })).albumList2.album).toHaveLength(104);
  });

  it("shows a restricted user only the albums of their libraries", async () => {
    const r = await s.listener.getAlbumList2({ type: "alphabeticalByName", size: 500 });
    expect(r.albumList2.album!.map((a) => a.name)).toEqual(DEMO_BY_NAME);
    const random = await s.listener.getAlbumList2({ type: "random", size: 50 });
    expect(random.albumList2.album!.map((a) => a.name).sort()).toEqual(DEMO_BY_NAME);
  });

  it("sorts by album artist, leading articles ignored", async () => {
    const r = await s.listener.getAlbumList2({ type: "alphabeticalByArtist" });
    expect(r.albumList2.album!.map((a) => [a.artist, a.name])).toEqual([
      ["Björk Demo", "Pure Tones"],
      ["The Tessitura Ensemble", "Harmonics"], // as "tessitura ensemble"
      ["The Tessitura Ensemble", "Sine Waves"],
      ["Test Pattern", "Calibration"],
    ]);
  });

  it("lists by year range, newest first when fromYear > toYear", async () => {
    const up = await s.listener.getAlbumList2({ type: "byYear", fromYear: 2023, toYear: 2025 });
    expect(up.albumList2.album!.map((a) => [a.year, a.name])).toEqual([
      [2023, "Pure Tones"],
      [2024, "Sine Waves"],
      [2025, "Harmonics"],
    ]);
    const down = await s.listener.getAlbumList2({ type: "byYear", fromYear: 2025, toYear: 2023 });
    expect(down.albumList2.album!.map((a) => a.name)).toEqual(["Harmonics", "Sine Waves", "Pure Tones"]);
    const generated = await s.admin.getAlbumList2({ type: "byYear", fromYear: 2001, toYear: 2002, size: 500 });
    expect(generated.albumList2.album!.map((a) => a.year).every((y) => y === 2001 || y === 2002)).toBe(true);
    expect(generated.albumList2.album).toHaveLength(40);
  });

  it("lists by genre", async () => {
    expect((await s.listener.getAlbumList2({ type: "byGenre", genre: "Electronic" })).albumList2.album!.map((a) => a.name)).toEqual(["Calibration", "Pure Tones"]);
    expect((await s.admin.getAlbumList2({ type: "byGenre", genre: "Rock", size: 500 })).albumList2.album).toHaveLength(25);
  });

  it("filters by musicFolderId, refusing libraries the user may not see", async () => {
    const gen = await s.admin.getAlbumList2({ type: "alphabeticalByName", size: 500, musicFolderId: s.generatedLibraryId });
    expect(gen.albumList2.album).toHaveLength(100);
    expect(errorCode(await s.listener.getAlbumList2({ type: "newest", musicFolderId: s.generatedLibraryId }))).toBe(50);
    expect(errorCode(await s.admin.getAlbumList2({ type: "newest", musicFolderId: 999 }))).toBe(70);
  });

  it("requires the type and the parameters of the type", async () => {
    expect((await s.json("getAlbumList2")).error.code).toBe(10);
    expect(errorCode(await s.admin.getAlbumList2({ type: "byYear" }))).toBe(10);
    expect(errorCode(await s.admin.getAlbumList2({ type: "byGenre" }))).toBe(10);
    expect((await s.json("getAlbumList2", { type: "loudest" })).error.code).toBe(0);
  });

  it("lists the user's starred, highest rated, most and recently played albums", async () => {
    const [cal, har, pure] = (await s.listener.getAlbumList2({ type: "alphabeticalByName" })).albumList2.album!;
    await s.listener.star({ albumId: [har.id] });
    await new Promise((r) => setTimeout(r, 5));
    await s.listener.star({ albumId: [cal.id] });
    await s.listener.setRating({ id: pure.id, rating: 5 });
    await s.listener.setRating({ id: cal.id, rating: 3 });
    const user = await db().user.findUniqueOrThrow({ where: { userName: "listener" } });
    await db().annotation.update({ where: { userId_itemType_itemId: { userId: user.id, itemType: "album", itemId: har.id } }, data: { playCount: 7, playDate: new Date(2024, 0, 1) } });
    await db().annotation.update({ where: { userId_itemType_itemId: { userId: user.id, itemType: "album", itemId: cal.id } }, data: { playCount: 2, playDate: new Date(2025, 0, 1) } });

    const names = async (type: "starred" | "highest" | "frequent" | "recent") => (await s.listener.getAlbumList2({ type })).albumList2.album!.map((a) => a.name);
    expect(await names("starred")).toEqual(["Calibration", "Harmonics"]);
    expect(await names("highest")).toEqual(["Pure Tones", "Calibration"]);
    expect(await names("frequent")).toEqual(["Harmonics", "Calibration"]);
    expect(await names("recent")).toEqual(["Calibration", "Harmonics"]);
    // Annotations are per user.
    expect((await s.admin.getAlbumList2({ type: "starred" })).albumList2.album ?? []).toEqual([]);
    const starred = (await s.listener.getAlbumList2({ type: "starred" })).albumList2.album!;
    expect(starred[0]).toMatchObject({ name: "Calibration", userRating: 3, playCount: 2 });
    expect(starred[0].starred).toBeInstanceOf(Date); // the client revives dates: an ISO string on the wire
  });
});

describe("getAlbumList", () => {
  it("answers albums as directory children", async () => {
    const r = await s.listener.getAlbumList({ type: "alphabeticalByName" });
    expect(r.albumList.album!.map((a) => a.title)).toEqual(DEMO_BY_NAME);
    expect(r.albumList.album!.every((a) => a.isDir && a.coverArt?.startsWith("al-"))).toBe(true);
  });

  it("renders well-formed XML by default", async () => {
    const xml = await (await s.raw("getAlbumList", { type: "alphabeticalByName" }, s.creds.listener)).text();
    expect(assertWellFormedXml(xml)).toBe("subsonic-response");
    expect(xml).toContain('xmlns="http://subsonic.org/restapi"');
    expect(xmlElements(xml, "album").map((a) => [a.title, a.isDir])).toEqual(DEMO_BY_NAME.map((n) => [n, "true"]));
  });
});

describe("getRandomSongs", () => {
  it("picks distinct songs, 10 by default", async () => {
    const r = await s.admin.getRandomSongs();
    expect(r.randomSongs.song).toHaveLength(10);
    const many = (await s.admin.getRandomSongs({ size: 200 })).randomSongs.song!;
    expect(new Set(many.map((x) => x.id)).size).toBe(200);
  });

  it("filters by genre, years and library", async () => {
    const jazz = (await s.admin.getRandomSongs({ size: 500, genre: "Jazz" })).randomSongs.song!;
    expect(jazz).toHaveLength(250);
    expect(jazz.every((x) => x.genre === "Jazz")).toBe(true);
    const years = (await s.admin.getRandomSongs({ size: 500, fromYear: 2023, toYear: 2024 })).randomSongs.song!;
    expect(years.map((x) => x.title).sort()).toEqual(["A Above Middle C", "Low Hum", "Middle Ground", "Octave Down", "Perfect Fifth", "Whistle"]);
    const mine = (await s.listener.getRandomSongs({ size: 500 })).randomSongs.song!;
    expect(mine).toHaveLength(10);
  });
});

describe("getSongsByGenre", () => {
  it("pages through a genre's songs", async () => {
    const first = (await s.listener.getSongsByGenre({ genre: "Ambient", count: 3 })).songsByGenre.song!;
    const rest = (await s.listener.getSongsByGenre({ genre: "Ambient", count: 3, offset: 3 })).songsByGenre.song!;
    expect(first.map((x) => x.title)).toEqual(["Second Partial", "Third Partial", "A Above Middle C"]);
    expect(rest.map((x) => x.title)).toEqual(["Perfect Fifth", "Octave Down"]);
    expect((await s.admin.getSongsByGenre({ genre: "Folk", count: 500 })).songsByGenre.song).toHaveLength(250);
    expect((await s.listener.getSongsByGenre({ genre: "Folk" })).songsByGenre.song ?? []).toEqual([]);
    expect((await s.json("getSongsByGenre")).error.code).toBe(10);
  });
});

describe("getGenres", () => {
  it("counts songs and albums per genre in the user's libraries", async () => {
    expect((await s.listener.getGenres()).genres.genre).toEqual([
      { value: "Ambient", songCount: 5, albumCount: 2 },
      { value: "Electronic", songCount: 5, albumCount: 2 },
    ]);
    const all = (await s.admin.getGenres()).genres.genre!;
    expect(all.map((g) => g.value)).toEqual(["Ambient", "Electronic", "Folk", "Jazz", "Pop", "Rock"]);
    expect(all.find((g) => g.value === "Rock")).toEqual({ value: "Rock", songCount: 250, albumCount: 25 });
  });

  it("renders the genre name as element text in XML", async () => {
    const xml = await (await s.raw("getGenres", {}, s.creds.listener)).text();
    assertWellFormedXml(xml);
    expect(xml).toContain('<genre songCount="5" albumCount="2">Ambient</genre>');
  });
});

describe("getStarred and getStarred2", () => {
  it("lists the user's starred artists, albums and songs in their libraries", async () => {
    const { searchResult3 } = await s.admin.search3({ query: "Test Pattern" });
    const artist = searchResult3.artist![0];
    const album = searchResult3.album![0];
    const song = searchResult3.song![0];
    const genAlbum = (await s.admin.getAlbumList2({ type: "byGenre", genre: "Pop" })).albumList2.album![0];
    await s.admin.star({ id: [song.id], albumId: [album.id, genAlbum.id], artistId: artist.id });

    const two = (await s.admin.getStarred2()).starred2;
    expect(two.artist!.map((a) => a.name)).toEqual(["Test Pattern"]);
    expect(two.album!.map((a) => a.id).sort()).toEqual([album.id, genAlbum.id].sort());
    expect(two.song!.map((x) => x.id)).toEqual([song.id]);
    expect(two.song![0].starred).toBeInstanceOf(Date);

    const one = (await s.admin.getStarred()).starred;
    expect(one.album!.every((a) => a.isDir)).toBe(true);
    expect(one.artist!.map((a) => a.id)).toEqual([artist.id]);

    // Only the generated library: the demo items drop out.
    const gen = (await s.admin.getStarred2({ musicFolderId: s.generatedLibraryId })).starred2;
    expect([gen.artist ?? [], gen.song ?? []]).toEqual([[], []]);
    expect(gen.album!.map((a) => a.id)).toEqual([genAlbum.id]);
  });

  it("answers JSONP when asked", async () => {
    const text = await (await s.raw("getStarred2", { f: "jsonp", callback: "cb.done" })).text();
    expect(text).toMatch(/^cb\.done\(\{"subsonic-response":/);
    expect(text.endsWith(")")).toBe(true);
  });
});
