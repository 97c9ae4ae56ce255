import { SubsonicAPI } from "subsonic-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveHandler } from "../testing/serve-handler";
import { startSubsonicTestServer, validatingFetch, type SubsonicTestServer } from "../testing/subsonic-test-server";
import { responseElements } from "./schema/validate";

/**
 * Every JSON answer of every implemented method, for both users, through the validating
 * client: a response that breaks the OpenSubsonic schema fails the request.
 */
let s: SubsonicTestServer;

beforeAll(async () => {
  s = await startSubsonicTestServer({ generated: { artists: 3, albums: 2, tracks: 3 } });
});
afterAll(() => s?.close());

describe("OpenSubsonic response shapes", () => {
  for (const who of ["admin", "listener"] as const) {
    it(`holds for the browsing methods (${who})`, async () => {
      const api = s[who];
      await api.ping();
      await api.getLicense();
      await api.getOpenSubsonicExtensions();
      await api.getMusicFolders();
      const { indexes } = await api.getIndexes();
      const { artists } = await api.getArtists();
      const artistId = artists.index![0].artist![0].id;
      const { artist } = await api.getArtist({ id: artistId });
      const { album } = await api.getAlbum({ id: artist.album![0].id });
      await api.getSong({ id: album.song![0].id });
      const dir = (await api.getMusicDirectory({ id: indexes.index![0].artist![0].id })).directory;
      await api.getMusicDirectory({ id: dir.child![0].id });
    });

    it(`holds for lists, search, annotations, playlists, users and scans (${who})`, async () => {
      const api = s[who];
      for (const type of ["random", "newest", "highest", "frequent", "recent", "alphabeticalByName", "alphabeticalByArtist", "starred"] as const) {
        await api.getAlbumList({ type });
        await api.getAlbumList2({ type });
      }
      const song = (await api.getRandomSongs({ size: 1 })).randomSongs.song![0];
      await api.star({ id: song.id, albumId: song.albumId, artistId: song.artistId });
      await api.setRating({ id: song.id, rating: 3 });
      await api.getStarred();
      await api.getStarred2();
      await api.getGenres();
      await api.getSongsByGenre({ genre: "Ambient" });
      await api.search2({ query: "" });
      await api.search3({ query: "" });
      const { playlist } = await api.createPlaylist({ name: `${who}'s`, songId: [song.id] });
      await api.updatePlaylist({ playlistId: playlist.id, public: true });
      await api.getPlaylists();
      await api.getPlaylist({ id: playlist.id });
      await api.deletePlaylist({ id: playlist.id });
      await api.unstar({ id: song.id });
      await api.getUser({ username: who });
      await api.getUsers();
      await api.getScanStatus();
    });
  }

  it("holds for error responses of every method", async () => {
    for (const method of Object.keys(responseElements)) {
      // Not "admin": failed logins are throttled per user, and the loop below signs in as admin.
      const body = await s.json(method, {}, { u: "no-such-user", p: "wrong" });
      expect(body.error.code).toBe(40);
    }
    for (const method of ["getAlbum", "getSong", "getArtist", "getMusicDirectory", "getPlaylist", "stream", "download", "getCoverArt"]) {
      expect((await s.json(method, { id: "nope" })).error.code).toBe(70);
    }
  });

  it("fails a request whose answer breaks the schema", async () => {
    const bad = await serveHandler(async () => Response.json({ "subsonic-response": { status: "ok", version: "1.16.1" } }));
    try {
      const api = new SubsonicAPI({ url: bad.url, auth: { username: "a", password: "b" }, fetch: validatingFetch });
      await expect(api.ping()).rejects.toThrow(/ping answered a response that breaks the OpenSubsonic schema:[\s\S]*openSubsonic/);
    } finally {
      await bad.close();
    }
  });
});
