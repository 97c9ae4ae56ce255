import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { startSubsonicTestServer, type SubsonicTestServer } from "../testing/subsonic-test-server";
import { assertWellFormedXml } from "../testing/xml-check";

let s: SubsonicTestServer;
let songs: { id: string; title: string }[];
let albums: { id: string; name: string }[];
let artists: { id: string; name: string }[];
let generatedSong: string;
const errorCode = (r: { status: string }) => (r as { error?: { code: number } }).error?.code;

beforeAll(async () => {
  s = await startSubsonicTestServer({ generated: { artists: 4, albums: 2, tracks: 3 } });
  const all = (await s.listener.search3({ query: "", artistCount: 100, albumCount: 100, songCount: 100 })).searchResult3;
  [songs, albums, artists] = [all.song!, all.album!, all.artist!];
  generatedSong = (await s.admin.getRandomSongs({ musicFolderId: s.generatedLibraryId, size: 1 })).randomSongs.song![0].id;
});
afterAll(() => s?.close());

const starred2 = async (api = s.listener) => (await api.getStarred2()).starred2;

describe("star and unstar", () => {
  it("stars songs, albums and artists, several at once, by id, albumId and artistId", async () => {
    await s.listener.star({ id: [songs[0].id, albums[1].id], albumId: albums[0].id, artistId: [artists[0].id, artists[1].id] });
    const r = await starred2();
    expect(r.song!.map((x) => x.id)).toEqual([songs[0].id]);
    expect(r.album!.map((a) => a.id).sort()).toEqual([albums[0].id, albums[1].id].sort());
    expect(r.artist!.map((a) => a.id).sort()).toEqual([artists[0].id, artists[1].id].sort());
    expect((await starred2(s.admin)).song ?? []).toEqual([]); // per user
  });

  it("keeps the first star date when starring again", async () => {
    const before = (await starred2()).song![0].starred;
    await new Promise((r) => setTimeout(r, 10));
    await s.listener.star({ id: songs[0].id });
    expect((await starred2()).song![0].starred).toEqual(before);
  });

  it("unstars", async () => {
    await s.listener.unstar({ id: [songs[0].id], albumId: [albums[0].id, albums[1].id], artistId: artists[0].id });
    const r = await starred2();
    expect([r.song ?? [], r.album ?? []]).toEqual([[], []]);
    expect(r.artist!.map((a) => a.id)).toEqual([artists[1].id]);
  });

  it("answers 70 for an unknown id or one outside the user's libraries, and stars nothing", async () => {
    expect(errorCode(await s.listener.star({ id: [songs[1].id, "nope"] }))).toBe(70);
    expect(errorCode(await s.listener.star({ id: generatedSong }))).toBe(70);
    expect(errorCode(await s.listener.star({ albumId: songs[1].id }))).toBe(70); // a song id is not an album id
    expect((await starred2()).song ?? []).toEqual([]);
    expect((await s.json("star", { id: "nope" })).error).toEqual({ code: 70, message: "Item not found: nope" });
  });

  it("requires an id", async () => {
    expect((await s.json("star")).error.code).toBe(10);
    expect((await s.json("unstar")).error.code).toBe(10);
  });

  it("accepts form POSTs and answers an empty XML response", async () => {
    const post = s.client(s.creds.listener, { post: true });
    expect((await post.star({ id: songs[2].id })).status).toBe("ok");
    expect((await starred2()).song!.map((x) => x.id)).toEqual([songs[2].id]);
    const xml = await (await s.raw("unstar", { id: songs[2].id }, s.creds.listener)).text();
    assertWellFormedXml(xml);
    expect(xml).toMatch(/<subsonic-response xmlns="http:\/\/subsonic.org\/restapi" status="ok" version="1.16.1" type="tessitura" serverVersion="[^"]+" openSubsonic="true"\/>$/);
  });
});

describe("setRating", () => {
  const rated = async (query: string) => (await s.listener.search3({ query })).searchResult3;

  it("rates songs, albums and artists from 1 to 5, and 0 clears", async () => {
    await s.listener.setRating({ id: songs[3].id, rating: 4 });
    await s.listener.setRating({ id: albums[2].id, rating: 2 });
    await s.listener.setRating({ id: artists[2].id, rating: 5 });
    expect((await rated(songs[3].title)).song!.find((x) => x.id === songs[3].id)!.userRating).toBe(4);
    expect((await rated(albums[2].name)).album!.find((a) => a.id === albums[2].id)!.userRating).toBe(2);
    expect((await rated(artists[2].name)).artist!.find((a) => a.id === artists[2].id)).toMatchObject({ userRating: 5 }); // OpenSubsonic example field, not in the client's type
    expect((await s.listener.getAlbumList2({ type: "highest" })).albumList2.album!.map((a) => a.id)).toEqual([albums[2].id]);

    await s.listener.setRating({ id: songs[3].id, rating: 0 });
    expect((await rated(songs[3].title)).song!.find((x) => x.id === songs[3].id)!.userRating).toBeUndefined();
    const row = await db().annotation.findUniqueOrThrow({ where: { userId_itemType_itemId: { userId: s.listenerId, itemType: "track", itemId: songs[3].id } } });
    expect(row.rating).toBe(0);
  });

  it("rejects ratings outside 0–5 and missing parameters", async () => {
    expect((await s.json("setRating", { id: songs[0].id, rating: "6" }, s.creds.listener)).error.code).toBe(0);
    expect((await s.json("setRating", { id: songs[0].id, rating: "-1" }, s.creds.listener)).error.code).toBe(0);
    expect((await s.json("setRating", { id: songs[0].id }, s.creds.listener)).error.code).toBe(10);
    expect((await s.json("setRating", { rating: "3" }, s.creds.listener)).error.code).toBe(10);
    expect(errorCode(await s.listener.setRating({ id: generatedSong, rating: 3 }))).toBe(70);
  });
});
