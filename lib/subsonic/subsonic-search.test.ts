import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSubsonicTestServer, type SubsonicTestServer } from "../testing/subsonic-test-server";
import { assertWellFormedXml, xmlElements } from "../testing/xml-check";
import { queryWords } from "../catalog/search";

let s: SubsonicTestServer;

beforeAll(async () => {
  s = await startSubsonicTestServer({ generated: { artists: 20, albums: 5, tracks: 10 } });
});
afterAll(() => s?.close());

describe("queryWords", () => {
  it("drops quotes and wildcards, so an empty-looking query lists everything", () => {
    expect(queryWords('""')).toEqual([]);
    expect(queryWords("*")).toEqual([]);
    expect(queryWords(' sine  "waves*" ')).toEqual(["sine", "waves"]);
    expect(queryWords("100%_pure")).toEqual(["100", "pure"]);
  });
});

describe("search3", () => {
  it("matches names case-insensitively by substring", async () => {
    const r = (await s.admin.search3({ query: "tessitura" })).searchResult3;
    expect(r.artist!.map((a) => a.name)).toEqual(["The Tessitura Ensemble"]);
    expect(r.album!.map((a) => a.name)).toEqual(["Harmonics", "Sine Waves"]); // by album artist
    expect(r.song).toHaveLength(5);
    const partial = (await s.admin.search3({ query: "ARTI" })).searchResult3;
    expect(partial.artist).toHaveLength(20);
    expect(partial.artist![0]).toMatchObject({ name: "Artist 0", albumCount: 5 });
  });

  it("requires every word to match one of the fields", async () => {
    const r = (await s.admin.search3({ query: "partial third" })).searchResult3;
    expect(r.song!.map((x) => x.title)).toEqual(["Third Partial"]);
    expect((await s.admin.search3({ query: "Artist 12 Album 4" })).searchResult3.album!.map((a) => [a.artist, a.name])).toEqual([["Artist 12", "Album 4"]]);
    const none = (await s.admin.search3({ query: "no such thing" })).searchResult3;
    expect([none.artist ?? [], none.album ?? [], none.song ?? []]).toEqual([[], [], []]);
  });

  it("treats LIKE wildcards as word separators", async () => {
    expect((await s.admin.search3({ query: "third_partial%" })).searchResult3.song!.map((x) => x.title)).toEqual(["Third Partial"]);
    expect((await s.admin.search3({ query: "%", albumCount: 500 })).searchResult3.album).toHaveLength(104);
  });

  it("matches non-ASCII names", async () => {
    expect((await s.admin.search3({ query: "björk" })).searchResult3.artist!.map((a) => a.name)).toEqual(["Björk Demo"]);
  });

  it("lists everything, page by page, for an empty query (offline sync)", async () => {
    for (const query of ["", '""']) {
      const ids = new Set<string>();
      for (let songOffset = 0; ; songOffset += 300) {
        const page = (await s.admin.search3({ query, artistCount: 0, albumCount: 0, songCount: 300, songOffset })).searchResult3;
        expect(page.artist ?? []).toEqual([]);
        if (!page.song?.length) break;
        for (const x of page.song) ids.add(x.id);
      }
      expect(ids.size).toBe(1010);
    }
    const all = (await s.admin.search3({ query: "", artistCount: 500, albumCount: 500, songCount: 0 })).searchResult3;
    expect(all.artist).toHaveLength(23);
    expect(all.album).toHaveLength(104);
  });

  it("answers 20 of each by default and honours offsets", async () => {
    const r = (await s.admin.search3({ query: "" })).searchResult3;
    expect([r.artist!.length, r.album!.length, r.song!.length]).toEqual([20, 20, 20]);
    const next = (await s.admin.search3({ query: "", artistCount: 5, artistOffset: 20 })).searchResult3;
    expect(next.artist).toHaveLength(3);
  });

  it("keeps a restricted user inside their libraries, and musicFolderId narrows further", async () => {
    const r = (await s.listener.search3({ query: "", artistCount: 500, albumCount: 500, songCount: 500 })).searchResult3;
    expect(r.artist!.map((a) => a.name)).toEqual(["Björk Demo", "The Tessitura Ensemble", "Test Pattern"]);
    expect(r.album).toHaveLength(4);
    expect(r.song).toHaveLength(10);
    expect((await s.listener.search3({ query: "Artist" })).searchResult3.artist ?? []).toEqual([]);
    const gen = (await s.admin.search3({ query: "", albumCount: 500, musicFolderId: s.generatedLibraryId })).searchResult3;
    expect(gen.album).toHaveLength(100);
    expect(gen.artist!.every((a) => a.name.startsWith("Artist "))).toBe(true);
  });

  it("requires the query parameter", async () => {
    expect((await s.json("search3")).error.code).toBe(10);
  });
});

describe("search2", () => {
  it("answers folder-style artists and albums", async () => {
    const r = (await s.admin.search2({ query: "sine" })).searchResult2;
    expect(r.album!.map((a) => [a.title, a.isDir])).toEqual([["Sine Waves", true]]);
    expect(r.song!.map((x) => x.album)).toEqual(["Sine Waves", "Sine Waves", "Sine Waves"]);
    const artists = (await s.listener.search2({ query: "demo" })).searchResult2.artist!;
    expect(artists.map((a) => a.name)).toEqual(["Björk Demo"]);
  });

  it("renders well-formed XML with escaped text", async () => {
    const xml = await (await s.raw("search2", { query: "Björk" })).text();
    expect(assertWellFormedXml(xml)).toBe("subsonic-response");
    expect(xmlElements(xml, "artist").map((a) => a.name)).toEqual(["Björk Demo"]);
  });
});
