import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentNotFound, setMetadataAgentSource, type MetadataAgent } from "../agents/agents";
import { db } from "../db/client";
import { assignLibrary, insertLibrary } from "../db/libraries";
import { incrementPlays } from "../db/annotations";
import { upsertPluginPlaylist } from "../db/playlists";
import type { User } from "../db/rows";
import { AppError } from "../errors";
import { writeDemoLibrary, writeGeneratedLibrary } from "../media/demo-library";
import { createPlaylist } from "../playlists/playlists";
import { albumId, artistId } from "../scanner/ids";
import { startScan } from "../scanner/scanner";
import { bootTestServer } from "../testing/boot-test-server";
import { createUser, findUserByName } from "../users/users";
import { albumCount, albumDetail, albumGrid, albumNotes, parseAlbumGridQuery } from "./albums";
import { artistDetail, artistExtras, artistIndex } from "./artists";
import { markRating, markStarred } from "./marks";
import { playlistDetail, playlistSummaries } from "./playlists";
import { viewerOf, type Viewer } from "./scope";
import { searchBrowse } from "./search";
import { starredFor } from "./starred";
import { tracksOf } from "./tracks";
import { plainText } from "./views";

/**
 * The listener pages' data functions on a real database: the demo library (3 artists, 4 albums,
 * 10 tracks; "Sine Waves" has embedded covers) and a generated one ("Artist 0" and "Artist 1",
 * one album of two tracks each). `admin` sees both; `listener` is a non-admin given only the
 * generated library. A small in-test metadata agent stands in for the agent plugins.
 */

const ENSEMBLE = "The Tessitura Ensemble";
const ensemble = artistId(ENSEMBLE);
const artist0 = artistId("Artist 0");
let demo = 0;
let gen = 0;
let sineWaves = "";
let harmonics = "";
let pureTones = "";
let admin: Viewer;
let listener: Viewer;
let listenerUser: User;

function none(): Promise<never> {
  return Promise.reject(new AgentNotFound());
}

/** Answers artist questions for the Ensemble only, with hostile-looking HTML and URL. */
const testAgent: MetadataAgent = {
  id: "browse-test-agent",
  getArtistMBID: none,
  getArtistURL: async (id) => (id === ensemble ? "javascript:alert(1)" : none()),
  getArtistBiography: async (id) => (id === ensemble ? `<b>Sine</b> &amp; tones<script>x()</script> <a href="https://example.org">more</a>` : none()),
  getSimilarArtists: async (id) => (id === ensemble ? [{ name: "Björk Demo" }, { name: "Artist 0" }, { name: "Not In Any Library" }] : none()),
  getArtistImages: none,
  getArtistTopSongs: async (id) => (id === ensemble || id === artist0 ? [{ name: "Track 1", artist: "Artist 0" }, { name: "Perfect Fifth", artist: ENSEMBLE }, { name: "Track 0", artist: "Artist 0" }] : none()),
  getAlbumInfo: async (name) => (name === "Sine Waves" ? { name, mbid: "", description: "<p>Three <i>pure</i> tones.</p>", url: "" } : none()),
  getAlbumImages: none,
  getSimilarSongsByTrack: none,
  getSimilarSongsByAlbum: none,
  getSimilarSongsByArtist: none,
};

beforeAll(async () => {
  const { config, dataFolder } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false", ND_AGENTS: testAgent.id });
  setMetadataAgentSource({ names: () => [testAgent.id], get: (n) => (n === testAgent.id ? testAgent : undefined) });
  writeDemoLibrary(config.resolved.musicFolder, { seconds: 1 });
  demo = (await db().library.findFirstOrThrow()).id;
  const folder = path.join(dataFolder, "generated");
  writeGeneratedLibrary(folder, { artists: 2, albums: 1, tracks: 2 });
  gen = (await insertLibrary({ name: "Generated", path: folder })).id;
  await startScan();
  sineWaves = albumId(demo, ENSEMBLE, "Sine Waves");
  harmonics = albumId(demo, ENSEMBLE, "Harmonics");
  pureTones = albumId(demo, "Björk Demo", "Pure Tones");
  admin = await viewerOf((await findUserByName("admin"))!);
  const u = await createUser({ userName: "listener", password: "listener-pass" });
  await assignLibrary(u.id, gen);
  listenerUser = (await findUserByName("listener"))!;
  listener = await viewerOf(listenerUser);
});
afterAll(() => setMetadataAgentSource(null));

describe("viewerOf", () => {
  it("gives admins every library and a non-admin only the ones assigned (the Subsonic API's access function)", () => {
    expect(admin.libraryIds.sort()).toEqual([demo, gen].sort());
    expect(listener.libraryIds).toEqual([gen]);
  });
});

describe("artistIndex", () => {
  it("groups album artists by the first letter of their sort name", async () => {
    const groups = await artistIndex(admin);
    expect(groups.map((g) => g.letter)).toEqual(["A", "B", "T"]);
    // "The Tessitura Ensemble" files under T (the article is ignored), before "Test Pattern".
    expect(groups[2].artists.map((a) => a.name)).toEqual([ENSEMBLE, "Test Pattern"]);
    expect(groups[0].artists[0]).toMatchObject({ name: "Artist 0", coverArt: `ar-${artist0}`, starred: false, rating: 0 });
  });

  it("shows a non-admin only the artists of their libraries", async () => {
    const groups = await artistIndex(listener);
    expect(groups.map((g) => g.letter)).toEqual(["A"]);
    expect(groups[0].artists.map((a) => a.name)).toEqual(["Artist 0", "Artist 1"]);
  });
});

describe("artistDetail", () => {
  it("lists the artist's albums oldest first and every song of them album by album", async () => {
    const d = (await artistDetail(admin, ensemble))!;
    expect(d.artist.name).toBe(ENSEMBLE);
    expect(d.albums.map((a) => a.name)).toEqual(["Sine Waves", "Harmonics"]);
    expect(d.songs.map((s) => s.track.title)).toEqual(["A Above Middle C", "Perfect Fifth", "Octave Down", "Second Partial", "Third Partial"]);
  });

  it("is null for an artist outside the viewer's libraries, and for an unknown id", async () => {
    expect(await artistDetail(listener, ensemble)).toBeNull();
    expect(await artistDetail(admin, "no-such-artist")).toBeNull();
  });
});

describe("artistExtras", () => {
  it("shows the agents' biography as plain text and drops a non-http link", async () => {
    const x = await artistExtras(admin, ensemble);
    expect(x.biography).toBe("Sine & tones more");
    expect(x.externalUrl).toBe("");
    // The same answer is stored for getArtistInfo2 (one agent call serves both).
    expect((await db().artist.findUniqueOrThrow({ where: { id: ensemble } })).externalInfoUpdatedAt).not.toBeNull();
  });

  it("links similar artists the viewer can see, names the others, and matches top songs in the viewer's libraries", async () => {
    const forAdmin = await artistExtras(admin, ensemble);
    expect(forAdmin.similar).toEqual([{ name: "Björk Demo", id: artistId("Björk Demo") }, { name: "Artist 0", id: artist0 }, { name: "Not In Any Library" }]);
    expect(forAdmin.topSongs.map((s) => s.track.title)).toEqual(["Track 1", "Perfect Fifth", "Track 0"]);

    const forListener = await artistExtras(listener, ensemble);
    expect(forListener.similar).toEqual([{ name: "Björk Demo" }, { name: "Artist 0", id: artist0 }, { name: "Not In Any Library" }]);
    expect(forListener.topSongs.map((s) => s.track.title)).toEqual(["Track 1", "Track 0"]);
  });
});

describe("albumGrid", () => {
  const q = (over: Partial<ReturnType<typeof parseAlbumGridQuery>>) => ({ ...parseAlbumGridQuery({}), ...over });

  it("reads its query from search parameters, falling back on anything unusable", () => {
    expect(parseAlbumGridQuery({})).toEqual({ sort: "newest", page: 1, genre: undefined, fromYear: undefined, toYear: undefined });
    expect(parseAlbumGridQuery({ sort: "drop table", page: "-3", from: "abc", to: "2020" })).toMatchObject({ sort: "newest", page: 1, fromYear: undefined, toYear: 2020 });
    expect(parseAlbumGridQuery({ sort: ["year", "genre"], from: "2023", page: "2" })).toMatchObject({ sort: "year", fromYear: 2023, page: 2 });
  });

  it("filters by year range (ascending) and lists all years newest first without one", async () => {
    expect((await albumGrid(admin, q({ sort: "year", fromYear: 2023, toYear: 2024 }))).albums.map((a) => a.name)).toEqual(["Pure Tones", "Sine Waves"]);
    const all = (await albumGrid(admin, q({ sort: "year" }))).albums.map((a) => a.year);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    expect(all).toHaveLength(6);
  });

  it("filters by genre, and lists nothing until a genre is picked", async () => {
    expect((await albumGrid(admin, q({ sort: "genre", genre: "Ambient" }))).albums.map((a) => a.name)).toEqual(["Harmonics", "Sine Waves"]);
    expect((await albumGrid(admin, q({ sort: "genre" }))).albums).toEqual([]);
  });

  it("orders most played by the user's plays", async () => {
    await incrementPlays(admin.user.id, [{ type: "album", id: pureTones }], new Date());
    await incrementPlays(admin.user.id, [{ type: "album", id: pureTones }, { type: "album", id: harmonics }], new Date());
    expect((await albumGrid(admin, q({ sort: "frequent" }))).albums.map((a) => [a.name, a.playCount])).toEqual([["Pure Tones", 2], ["Harmonics", 1]]);
  });

  it("pages, saying whether another page follows", async () => {
    const first = await albumGrid(admin, q({ sort: "name", pageSize: 4 }));
    const second = await albumGrid(admin, q({ sort: "name", pageSize: 4, page: 2 }));
    expect(first.hasMore).toBe(true);
    expect(second.hasMore).toBe(false);
    expect([...first.albums, ...second.albums].map((a) => a.name)).toEqual(["Album 0", "Album 0", "Calibration", "Harmonics", "Pure Tones", "Sine Waves"]);
  });

  it("shows a non-admin only the albums of their libraries, in every order", async () => {
    for (const sort of ["newest", "name", "random", "year"] as const) {
      const names = (await albumGrid(listener, q({ sort }))).albums.map((a) => `${a.artist}/${a.name}`);
      expect(names.sort(), sort).toEqual(["Artist 0/Album 0", "Artist 1/Album 0"]);
    }
    // Plays of an album in another library (from before the user lost access) do not show it.
    await incrementPlays(listener.user.id, [{ type: "album", id: sineWaves }], new Date());
    expect((await albumGrid(listener, q({ sort: "frequent" }))).albums).toEqual([]);
    expect(await albumCount(listener)).toBe(2);
    expect(await albumCount(admin)).toBe(6);
  });
});

describe("albumDetail", () => {
  it("lists the songs in track order with the total time and the user's marks", async () => {
    await markStarred(admin, "track", (await db().mediaFile.findFirstOrThrow({ where: { title: "Perfect Fifth" } })).id, true);
    const d = (await albumDetail(admin, sineWaves))!;
    expect(d.songs.map((s) => [s.track.track, s.track.title, s.starred])).toEqual([
      [1, "A Above Middle C", false],
      [2, "Perfect Fifth", true],
      [3, "Octave Down", false],
    ]);
    expect(d.totalDuration).toBe(Math.round(d.songs.reduce((s, x) => s + x.track.duration, 0)));
    expect(d.totalDuration).toBeGreaterThan(0);
  });

  it("is null outside the viewer's libraries", async () => {
    expect(await albumDetail(listener, sineWaves)).toBeNull();
  });

  it("shows the agents' album notes as plain text, only for an album the viewer can see", async () => {
    expect(await albumNotes(listener, sineWaves)).toBe("");
    expect(await albumNotes(admin, sineWaves)).toBe("Three pure tones.");
    expect(await albumNotes(admin, harmonics)).toBe("");
  });
});

describe("tracksOf (card Play buttons)", () => {
  it("builds PlayerTracks with the Subsonic cover art ids: the track's own when embedded, else the album's", async () => {
    const embedded = (await tracksOf(admin, { kind: "album", id: sineWaves }))!;
    expect(embedded[0]).toMatchObject({ title: "A Above Middle C", artist: ENSEMBLE, artistId: ensemble, album: "Sine Waves", albumId: sineWaves, track: 1, year: 2024, coverArt: `mf-${embedded[0].id}` });
    const folderCover = (await tracksOf(admin, { kind: "album", id: harmonics }))!;
    expect(folderCover.map((t) => t.coverArt)).toEqual([`al-${harmonics}`, `al-${harmonics}`]);
    expect((await tracksOf(admin, { kind: "artist", id: ensemble }))!.map((t) => t.title)).toHaveLength(5);
  });

  it("is null for what the viewer cannot see", async () => {
    expect(await tracksOf(listener, { kind: "album", id: sineWaves })).toBeNull();
    expect(await tracksOf(listener, { kind: "artist", id: ensemble })).toBeNull();
    expect(await tracksOf(listener, { kind: "playlist", id: "nope" })).toBeNull();
  });
});

describe("searchBrowse", () => {
  it("finds artists, albums and songs by every word", async () => {
    const r = await searchBrowse(admin, "tessitura");
    expect(r.artists.map((a) => a.name)).toEqual([ENSEMBLE]);
    expect(r.albums.map((a) => a.name).sort()).toEqual(["Harmonics", "Sine Waves"]);
    expect((await searchBrowse(admin, "perfect fif")).songs.map((s) => s.track.title)).toEqual(["Perfect Fifth"]);
  });

  it("finds nothing for an empty or wildcard-only query (search3 would list everything)", async () => {
    for (const q of ["", "   ", "*", "%_"]) expect(await searchBrowse(admin, q)).toEqual({ artists: [], albums: [], songs: [] });
  });

  it("shows a non-admin only their libraries", async () => {
    expect(await searchBrowse(listener, "tessitura")).toEqual({ artists: [], albums: [], songs: [] });
    expect((await searchBrowse(listener, "track")).songs).toHaveLength(4);
  });
});

describe("playlists", () => {
  it("lists user and plugin playlists, marking plugin ones read-only, with the songs the viewer may see", async () => {
    const demoSong = (await db().mediaFile.findFirstOrThrow({ where: { libraryId: demo } })).id;
    const genSong = (await db().mediaFile.findFirstOrThrow({ where: { libraryId: gen } })).id;
    const own = await createPlaylist({ user: listenerUser, libraryIds: [demo, gen] }, { name: "Mine", songIds: [demoSong, genSong] });
    await upsertPluginPlaylist({ id: "plugin-pl-1", name: "Daily Mix", comment: "", ownerId: listenerUser.id, pluginId: "mixer", pluginPlaylistId: "d1", validUntil: null, syncedAt: new Date(), trackIds: [genSong] });

    const list = await playlistSummaries(listener);
    expect(list.map((p) => [p.name, p.readonly, p.pluginId, p.songCount])).toEqual([
      ["Daily Mix", true, "mixer", 1],
      ["Mine", false, "", 1],
    ]);
    const d = (await playlistDetail(listener, own.playlist.id))!;
    expect(d.songs.map((s) => s.track.id)).toEqual([genSong]);
    // A private playlist: admins see it (with every song they may see), other users do not.
    expect((await playlistDetail(admin, own.playlist.id))!.songs.map((s) => s.track.id)).toEqual([demoSong, genSong]);
    await createUser({ userName: "other", password: "other-pass" });
    const other = await viewerOf((await findUserByName("other"))!);
    expect(await playlistDetail(other, own.playlist.id)).toBeNull();
    expect(await playlistSummaries(other)).toEqual([]);
  });
});

describe("stars and ratings", () => {
  it("stars an item the viewer can see and lists it on the starred page", async () => {
    await markStarred(listener, "artist", artist0, true);
    await markStarred(listener, "album", albumId(gen, "Artist 1", "Album 0"), true);
    const s = await starredFor(listener);
    expect(s.artists.map((a) => [a.name, a.starred])).toEqual([["Artist 0", true]]);
    expect(s.albums.map((a) => a.artist)).toEqual(["Artist 1"]);
    await markStarred(listener, "artist", artist0, false);
    expect((await starredFor(listener)).artists).toEqual([]);
  });

  it("refuses items outside the viewer's libraries as not found, writing nothing", async () => {
    for (const [type, id] of [["album", sineWaves], ["artist", ensemble], ["track", "no-such-track"]] as const) {
      await expect(markStarred(listener, type, id, true)).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(markRating(listener, type, id, 3)).rejects.toBeInstanceOf(AppError);
    }
    expect(await db().annotation.count({ where: { userId: listener.user.id, itemId: { in: [sineWaves, ensemble] }, starred: true } })).toBe(0);
  });

  it("rates 1–5, clears with 0, and refuses other values", async () => {
    const song = (await db().mediaFile.findFirstOrThrow({ where: { libraryId: gen } })).id;
    await markRating(listener, "track", song, 4);
    expect((await albumDetail(listener, (await db().mediaFile.findUniqueOrThrow({ where: { id: song } })).albumId))!.songs.find((s) => s.track.id === song)!.rating).toBe(4);
    await markRating(listener, "track", song, 0);
    expect((await db().annotation.findFirstOrThrow({ where: { userId: listener.user.id, itemId: song } })).rating).toBe(0);
    await expect(markRating(listener, "track", song, 6)).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("plainText", () => {
  it("drops tags and decodes entities once", () => {
    expect(plainText(`<p>A &amp;lt;b&gt; <img src=x onerror='alert(1)'>z</p>`)).toBe("A &lt;b> z");
  });
});
