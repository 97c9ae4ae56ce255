import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSubsonicTestServer, type SubsonicTestServer } from "../testing/subsonic-test-server";
import { assertWellFormedXml, xmlElements } from "../testing/xml-check";

let s: SubsonicTestServer;
let demo: { id: string; title: string; duration?: number }[];
let generated: string;
const errorCode = (r: { status: string }) => (r as { error?: { code: number } }).error?.code;

beforeAll(async () => {
  s = await startSubsonicTestServer({ generated: { artists: 4, albums: 2, tracks: 3 } });
  demo = (await s.admin.search3({ query: "", artistCount: 0, albumCount: 0, songCount: 500, musicFolderId: s.demoLibraryId })).searchResult3.song!;
  generated = (await s.admin.getRandomSongs({ musicFolderId: s.generatedLibraryId, size: 1 })).randomSongs.song![0].id;
});
afterAll(() => s?.close());

describe("playlists", () => {
  let id = "";

  it("creates a private playlist with songs in order, duplicates kept", async () => {
    const { playlist } = await s.admin.createPlaylist({ name: "Mix", songId: [demo[0].id, demo[1].id, demo[0].id, generated] });
    id = playlist.id;
    expect(id).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(playlist).toMatchObject({ name: "Mix", owner: "admin", public: false, songCount: 4 });
    expect(playlist.entry!.map((e) => e.id)).toEqual([demo[0].id, demo[1].id, demo[0].id, generated]);
    expect(playlist.duration).toBe(playlist.entry!.reduce((t, e) => t + e.duration!, 0));
    expect((await s.admin.getPlaylists()).playlists.playlist!.map((p) => p.id)).toEqual([id]);
  });

  it("hides a private playlist from other users", async () => {
    expect((await s.listener.getPlaylists()).playlists.playlist ?? []).toEqual([]);
    expect(errorCode(await s.listener.getPlaylist({ id }))).toBe(70);
  });

  it("updates name, comment and visibility; others then read it, without songs outside their libraries", async () => {
    await s.admin.updatePlaylist({ playlistId: id, name: "Shared mix", comment: "for all", public: true });
    const [seen] = (await s.listener.getPlaylists()).playlists.playlist!;
    expect(seen).toMatchObject({ id, name: "Shared mix", comment: "for all", public: true, owner: "admin", songCount: 3 });
    expect((seen as { readonly?: boolean }).readonly).toBe(true);
    const { playlist } = await s.listener.getPlaylist({ id });
    expect(playlist.entry!.map((e) => e.id)).toEqual([demo[0].id, demo[1].id, demo[0].id]);
  });

  it("lets only the owner or an admin change or delete it", async () => {
    expect(errorCode(await s.listener.updatePlaylist({ playlistId: id, name: "mine now" }))).toBe(50);
    expect(errorCode(await s.listener.deletePlaylist({ id }))).toBe(50);
    expect(errorCode(await s.listener.createPlaylist({ playlistId: id, songId: [demo[2].id] }))).toBe(50);
    expect((await s.admin.getPlaylist({ id })).playlist.name).toBe("Shared mix");
  });

  it("removes songs by position and appends new ones", async () => {
    await s.admin.updatePlaylist({ playlistId: id, songIndexToRemove: [0, 2], songIdToAdd: [demo[3].id, demo[4].id] });
    const { playlist } = await s.admin.getPlaylist({ id });
    expect(playlist.entry!.map((e) => e.id)).toEqual([demo[1].id, generated, demo[3].id, demo[4].id]);
  });

  it("counts positions in the list the user sees", async () => {
    const own = (await s.listener.createPlaylist({ name: "Listener's", songId: [demo[5].id, demo[6].id] })).playlist;
    // An admin adds a song the listener cannot see; the listener's index 1 is still demo[6].
    await s.admin.updatePlaylist({ playlistId: own.id, songIdToAdd: [generated] });
    await s.listener.updatePlaylist({ playlistId: own.id, songIndexToRemove: [1] });
    expect((await s.admin.getPlaylist({ id: own.id })).playlist.entry!.map((e) => e.id)).toEqual([demo[5].id, generated]);
    await s.admin.deletePlaylist({ id: own.id }); // admins may delete anyone's
    expect(errorCode(await s.listener.getPlaylist({ id: own.id }))).toBe(70);
  });

  it("replaces all songs through createPlaylist with a playlistId", async () => {
    const { playlist } = await s.admin.createPlaylist({ playlistId: id, songId: [demo[7].id] });
    expect(playlist.entry!.map((e) => e.id)).toEqual([demo[7].id]);
    expect(playlist.name).toBe("Shared mix");
  });

  it("lists another user's playlists for admins only", async () => {
    const own = (await s.listener.createPlaylist({ name: "Private" })).playlist;
    const forListener = (await s.admin.getPlaylists({ username: "listener" })).playlists.playlist!;
    expect(forListener.map((p) => p.name)).toEqual(["Private", "Shared mix"]);
    expect((await s.admin.getPlaylists()).playlists.playlist!.map((p) => p.name)).toEqual(["Shared mix"]);
    expect(errorCode(await s.listener.getPlaylists({ username: "admin" }))).toBe(50);
    expect(errorCode(await s.admin.getPlaylists({ username: "nobody" }))).toBe(70);
    expect((await s.listener.getPlaylists({ username: "LISTENER" })).playlists.playlist!.map((p) => p.id)).toContain(own.id);
  });

  it("validates its parameters", async () => {
    expect((await s.json("createPlaylist")).error.code).toBe(10);
    expect(errorCode(await s.admin.createPlaylist({ name: "x", songId: ["nope"] }))).toBe(70);
    expect(errorCode(await s.listener.createPlaylist({ name: "x", songId: [generated] }))).toBe(70);
    expect((await s.json("updatePlaylist")).error.code).toBe(10);
    expect((await s.json("getPlaylist")).error.code).toBe(10);
    expect((await s.json("deletePlaylist")).error.code).toBe(10);
    expect(errorCode(await s.admin.getPlaylist({ id: "nope" }))).toBe(70);
  });

  it("renders a playlist as well-formed XML", async () => {
    const xml = await (await s.raw("getPlaylist", { id })).text();
    assertWellFormedXml(xml);
    expect(xmlElements(xml, "playlist")[0]).toMatchObject({ id, name: "Shared mix", public: "true", songCount: "1" });
    expect(xmlElements(xml, "entry").map((e) => e.id)).toEqual([demo[7].id]);
  });

  it("deletes", async () => {
    await s.admin.deletePlaylist({ id });
    expect(errorCode(await s.admin.getPlaylist({ id }))).toBe(70);
    expect(errorCode(await s.admin.deletePlaylist({ id }))).toBe(70);
  });
});
