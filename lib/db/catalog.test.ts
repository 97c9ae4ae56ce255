import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeDemoLibrary, writeGeneratedLibrary } from "../media/demo-library";
import { startScan } from "../scanner/scanner";
import { albumId, artistId } from "../scanner/ids";
import { bootTestServer } from "../testing/boot-test-server";
import * as q from "./catalog";
import * as l from "./lists";
import * as s from "./search";
import { db } from "./client";
import { insertLibrary } from "./libraries";

/**
 * The catalog queries against a real database: the demo library (library `demo`: 3 artists,
 * 4 albums, 10 tracks, one track credited to two artists) and a generated one (`gen`:
 * "Artist 0" and "Artist 1", one album each, two tracks per album, genres Rock and Jazz).
 */

let demo = 0;
let gen = 0;
const ENSEMBLE = "The Tessitura Ensemble";
const ensemble = artistId(ENSEMBLE);
const bjork = artistId("Björk Demo");
const pattern = artistId("Test Pattern");
let sineWaves = "";
let harmonics = "";
let aboveC = "";
const all = () => [demo, gen];

beforeAll(async () => {
  const { config, dataFolder } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  writeDemoLibrary(config.resolved.musicFolder, { seconds: 1 });
  demo = (await db().library.findFirstOrThrow()).id;
  const folder = path.join(dataFolder, "generated");
  writeGeneratedLibrary(folder, { artists: 2, albums: 1, tracks: 2 });
  gen = (await insertLibrary({ name: "Generated", path: folder })).id;
  await startScan();
  sineWaves = albumId(demo, ENSEMBLE, "Sine Waves");
  harmonics = albumId(demo, ENSEMBLE, "Harmonics");
  aboveC = (await db().mediaFile.findFirstOrThrow({ where: { title: "A Above Middle C" } })).id;
});

describe("decoders", () => {
  it("decode the participants and similar-artists columns", () => {
    expect(q.participantsOf({ participants: '[{"id":"a","name":"A","role":"artist"}]' })).toEqual([{ id: "a", name: "A", role: "artist" }]);
    expect(q.similarArtistsOf({ similarArtists: '[{"name":"B","mbid":"m"}]' })).toEqual([{ name: "B", mbid: "m" }]);
  });
});

describe("artists", () => {
  it("find one by id or exact name, several by names, and say whether one exists", async () => {
    expect((await q.findArtist(ensemble))?.name).toBe(ENSEMBLE);
    expect(await q.findArtist("nope")).toBeNull();
    expect((await q.findArtistByName("Test Pattern"))?.id).toBe(pattern);
    expect(await q.findArtistByName("test pattern ")).toBeNull();
    expect((await q.findArtistsByNames(["Björk Demo", "Test Pattern", "Nobody"])).map((a) => a.id).sort()).toEqual([bjork, pattern].sort());
    expect(await q.artistExists(bjork)).toBe(true);
    expect(await q.artistExists("nope")).toBe(false);
    expect(await q.listArtistIds()).toEqual(expect.arrayContaining([bjork, ensemble, pattern]));
  });

  it("list the album artists of some libraries in index order", async () => {
    // orderName drops the leading article: "björk demo" < "tessitura ensemble" < "test pattern".
    expect((await l.albumArtistsIn([demo])).map((a) => a.id)).toEqual([bjork, ensemble, pattern]);
    expect((await l.albumArtistsIn([gen])).map((a) => a.name)).toEqual(["Artist 0", "Artist 1"]);
  });

  it("search by every word of the name, paged, within the visible set", async () => {
    expect((await s.searchArtists(["tessitura"], null, { skip: 0, take: 10 })).map((a) => a.id)).toEqual([ensemble]);
    expect((await s.searchArtists(["artist"], null, { skip: 0, take: 10 })).map((a) => a.name)).toEqual(["Artist 0", "Artist 1"]);
    expect((await s.searchArtists(["artist"], null, { skip: 1, take: 10 })).map((a) => a.name)).toEqual(["Artist 1"]);
    expect((await s.searchArtists(["artist", "1"], null, { skip: 0, take: 10 })).map((a) => a.name)).toEqual(["Artist 1"]);
    expect(await s.searchArtists(["tessitura"], new Set([bjork]), { skip: 0, take: 10 })).toEqual([]);
  });
});

describe("albums", () => {
  it("find one, with its library, or just its library id; check it lives in some libraries", async () => {
    expect((await q.findAlbum(sineWaves))?.name).toBe("Sine Waves");
    expect((await q.findAlbumWithLibrary(sineWaves))?.library.id).toBe(demo);
    expect(await q.albumLibraryId(sineWaves)).toBe(demo);
    expect(await q.albumLibraryId("nope")).toBeNull();
    expect(await q.albumExistsIn(sineWaves, [demo])).toBe(true);
    expect(await q.albumExistsIn(sineWaves, [gen])).toBe(false);
  });

  it("list an artist's albums oldest first, and its newest", async () => {
    expect((await l.albumsOfArtist(ensemble, all())).map((a) => a.name)).toEqual(["Sine Waves", "Harmonics"]);
    expect(await l.albumsOfArtist(ensemble, [gen])).toEqual([]);
    expect((await q.newestAlbumOfArtist(ensemble, all()))?.name).toBe("Harmonics");
    expect(await q.newestAlbumOfArtist(ensemble, [gen])).toBeNull();
  });

  it("page through an album list in each stored order", async () => {
    const page = { skip: 0, take: 10 };
    expect((await l.albumPage([demo], { by: "name" }, page)).map((a) => a.name)).toEqual(["Calibration", "Harmonics", "Pure Tones", "Sine Waves"]);
    expect((await l.albumPage([demo], { by: "name" }, { skip: 1, take: 2 })).map((a) => a.name)).toEqual(["Harmonics", "Pure Tones"]);
    expect((await l.albumPage([demo], { by: "year", lo: 2023, hi: 2024, dir: "asc" }, page)).map((a) => a.name)).toEqual(["Pure Tones", "Sine Waves"]);
    expect((await l.albumPage([demo], { by: "year", lo: 2023, hi: 2024, dir: "desc" }, page)).map((a) => a.name)).toEqual(["Sine Waves", "Pure Tones"]);
    expect((await l.albumPage(all(), { by: "genre", genre: "Electronic" }, page)).map((a) => a.name)).toEqual(["Calibration", "Pure Tones"]);
    expect((await l.albumPage(all(), { by: "newest" }, page)).length).toBe(6);
  });

  it("search by every word of the name or album artist", async () => {
    const every = { ids: all(), all: true };
    expect((await s.searchAlbums(["partial"], every, { skip: 0, take: 10 })).map((a) => a.name)).toEqual([]);
    expect((await s.searchAlbums(["tessitura"], every, { skip: 0, take: 10 })).map((a) => a.name)).toEqual(["Harmonics", "Sine Waves"]);
    expect((await s.searchAlbums(["tessitura", "sine"], every, { skip: 0, take: 10 })).map((a) => a.name)).toEqual(["Sine Waves"]);
    expect(await s.searchAlbums(["tessitura"], { ids: [gen], all: false }, { skip: 0, take: 10 })).toEqual([]);
  });
});

describe("tracks", () => {
  it("find one, with its library, or its cover facts; check it lives in some libraries", async () => {
    expect((await q.findTrack(aboveC))?.title).toBe("A Above Middle C");
    expect((await q.findTrackWithLibrary(aboveC))?.library.path).toBeTruthy();
    expect(await q.trackCoverInfo(aboveC)).toEqual({ albumId: sineWaves, hasCoverArt: true, libraryId: demo });
    expect(await q.trackCoverInfo("nope")).toBeNull();
    expect(await q.trackExistsIn(aboveC, [demo])).toBe(true);
    expect(await q.trackExistsIn(aboveC, [gen])).toBe(false);
  });

  it("list an album's tracks in disc and track order, and find tracks by ids", async () => {
    const songs = await q.tracksOfAlbum(sineWaves);
    expect(songs.map((s) => s.title)).toEqual(["A Above Middle C", "Perfect Fifth", "Octave Down"]);
    expect(await q.findTracksIn([songs[0].id], [gen])).toEqual([]);
    expect(await q.trackIdsAmong([songs[0].id, "nope"], [demo])).toEqual([songs[0].id]);
    expect(await q.trackIdsAmong([songs[0].id], [gen])).toEqual([]);
  });

  it("name the album artists and every credited artist of some libraries", async () => {
    expect([...(await l.participantIdsIn([demo]))].sort()).toEqual([ensemble, bjork, pattern].sort());
    expect([...(await l.participantIdsIn([gen]))].sort()).toEqual([artistId("Artist 0"), artistId("Artist 1")].sort());
    expect(await q.artistCreditedIn(bjork, [demo])).toBe(true);
    expect(await q.artistCreditedIn(bjork, [gen])).toBe(false);
  });

  it("pick random tracks by genre and year range", async () => {
    expect((await l.randomTracks([demo], {}, 100)).length).toBe(10);
    expect((await l.randomTracks(all(), {}, 100)).length).toBe(14);
    expect((await l.randomTracks(all(), {}, 3)).length).toBe(3);
    expect((await l.randomTracks(all(), { genre: "Rock" }, 100)).length).toBe(2);
    expect((await l.randomTracks([demo], { fromYear: 2024 }, 100)).length).toBe(5);
    expect((await l.randomTracks([demo], { fromYear: 2022, toYear: 2022 }, 100)).length).toBe(2);
  });

  it("page a genre's tracks by album, and count tracks per album and genre list", async () => {
    expect((await l.genreTrackPage("Electronic", [demo], { skip: 0, take: 3 })).map((s) => s.album)).toEqual(["Calibration", "Calibration", "Pure Tones"]);
    const genres = await l.genreListsByAlbum([gen]);
    // One row per album and genre list: each generated album's two tracks share a genre.
    expect(genres.map((g) => [g.genres, Number(g.n)]).sort()).toEqual([['["Jazz"]', 2], ['["Rock"]', 2]]);
  });

  it("search title, artist and album by every word", async () => {
    const every = { ids: all(), all: true };
    expect((await s.searchTracks(["partial"], every, { skip: 0, take: 10 })).map((t) => t.title)).toEqual(["Second Partial", "Third Partial"]);
    expect((await s.searchTracks(["pure", "hum"], every, { skip: 0, take: 10 })).map((t) => t.title)).toEqual(["Low Hum"]);
    expect((await s.searchTracks(["partial"], every, { skip: 1, take: 10 })).map((t) => t.title)).toEqual(["Third Partial"]);
  });

  it("match exact title and artist or album artist, either optional", async () => {
    expect((await q.tracksByTitleAndArtist([demo], "A Above Middle C", ENSEMBLE)).map((s) => s.id)).toEqual([aboveC]);
    expect((await q.tracksByTitleAndArtist([demo], "", "Test Pattern")).map((s) => s.title).sort()).toEqual(["Reference Tone", "Sweep Marker"]);
    expect(await q.tracksByTitleAndArtist([gen], "A Above Middle C", "")).toEqual([]);
    expect((await q.tracksByTitleAndArtist([demo], "", "")).length).toBe(10);
  });
});
