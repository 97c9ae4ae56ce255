import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db/client";
import { pluginManager } from "../index";
import type { PluginManager } from "../manager";
import { startSubsonicTestServer, type SubsonicTestServer } from "../../testing/subsonic-test-server";

// Plugin capabilities reaching Subsonic clients (issue #6, contract §3.1, §3.3, §3.4, §7):
// real plugins, a real server on 127.0.0.1, responses checked against the OpenSubsonic schemas.
const built = path.join(import.meta.dirname, "../../../build/plugins");
const pluginsFolder = mkdtempSync(path.join(tmpdir(), "tessitura-capabilities-"));
for (const n of ["partial-metadata-agent", "test-library-agent", "test-lyrics", "test-sonic-similarity"]) copyFileSync(path.join(built, `${n}.ndp`), path.join(pluginsFolder, `${n}.ndp`));

let s: SubsonicTestServer;
let manager: PluginManager;
const calls = (fn: string) => manager.activity("test-library-agent").recentLines().filter((l) => l.message === `call ${fn}`).length;
const configure = (id: string, config: Record<string, unknown>) =>
  manager.saveSettings(id, { config: JSON.stringify(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]))) });
const artistId = async (name: string) => (await db().artist.findFirstOrThrow({ where: { name } })).id;
const songId = async (title: string) => (await db().mediaFile.findFirstOrThrow({ where: { title } })).id;

beforeAll(async () => {
  s = await startSubsonicTestServer({
    env: {
      ND_PLUGINS_FOLDER: pluginsFolder,
      ND_PLUGINS_LOGLEVEL: "info",
      ND_PLUGINS_CALLTIMEOUT: "1s",
      ND_AGENTS: "lastfm,partial-metadata-agent,test-library-agent,not-loaded",
      ND_LYRICSPRIORITY: ".lrc, embedded ,test-lyrics",
    },
  });
  manager = pluginManager()!;
  await manager.enable("partial-metadata-agent");
  await configure("test-library-agent", {
    url: "https://agent.example/artist",
    images: [{ url: "https://img/s.jpg", size: 100 }, { url: "https://img/l.jpg", size: 1000 }, { url: "https://img/m.jpg", size: 300 }],
    similarArtists: [{ name: "Test Pattern" }, { name: "Nobody Here" }, { name: "The Tessitura Ensemble" }],
    topSongs: [{ name: "Whistle" }, { name: "Not In The Library" }, { name: "low hum" }],
    albumInfo: { name: "Pure Tones", mbid: "", description: "Album notes", url: "https://agent.example/album" },
    albumImages: [{ url: "https://img/cover.jpg", size: 500 }],
  });
  await manager.enable("test-library-agent");
  await manager.enable("test-lyrics");
});
afterAll(() => s.close());

describe("metadata agents", () => {
  it("fills artist info from the agents in Agents order, each field from the first agent that has it", async () => {
    const r = await s.json("getArtistInfo2", { id: await artistId("Björk Demo"), includeNotPresent: "true" });
    expect(r.artistInfo2).toMatchObject({
      biography: "Partial biography for Björk Demo", // partial agent answers first; its -2s fall through
      lastFmUrl: "https://agent.example/artist",
      largeImageUrl: "https://img/l.jpg",
      mediumImageUrl: "https://img/m.jpg",
      smallImageUrl: "https://img/s.jpg",
    });
    expect(r.artistInfo2.similarArtist.map((a: { name: string; id: string }) => [a.name, a.id === "-1"])).toEqual([
      ["Test Pattern", false],
      ["Nobody Here", true],
      ["The Tessitura Ensemble", false],
    ]);
  });

  it("serves stored info afterwards without calling the plugins again", async () => {
    const before = calls("nd_get_artist_url");
    const r = await s.json("getArtistInfo", { id: await artistId("Björk Demo") });
    expect(r.artistInfo.lastFmUrl).toBe("https://agent.example/artist");
    expect(r.artistInfo.similarArtist.map((a: { name: string }) => a.name)).toEqual(["Test Pattern", "The Tessitura Ensemble"]);
    expect(calls("nd_get_artist_url")).toBe(before);
  });

  it("asks again later when an agent failed for real, but not after a definitive 'no data'", async () => {
    await configure("test-library-agent", { error: "service down" });
    const id = await artistId("Test Pattern");
    const r = await s.json("getArtistInfo2", { id });
    expect(r.artistInfo2.biography).toBe("Partial biography for Test Pattern");
    expect((await db().artist.findUniqueOrThrow({ where: { id } })).externalInfoUpdatedAt).not.toBeNull(); // something was found

    const ensemble = await artistId("The Tessitura Ensemble");
    await configure("partial-metadata-agent", {}); // unchanged behaviour, forces nothing
    await manager.disable("partial-metadata-agent");
    await s.json("getArtistInfo2", { id: ensemble });
    expect((await db().artist.findUniqueOrThrow({ where: { id: ensemble } })).externalInfoUpdatedAt).toBeNull(); // only a failure: retry
    await configure("test-library-agent", {});
    await s.json("getArtistInfo2", { id: ensemble });
    expect((await db().artist.findUniqueOrThrow({ where: { id: ensemble } })).externalInfoUpdatedAt).not.toBeNull(); // "no data" is an answer
    await manager.enable("partial-metadata-agent");
  });

  it("matches top songs to library tracks in the agent's order", async () => {
    await configure("test-library-agent", { topSongs: [{ name: "Whistle" }, { name: "Not In The Library" }, { name: "low hum" }] });
    const r = await s.admin.getTopSongs({ artist: "Björk Demo", count: 10 });
    expect(r.topSongs.song!.map((x) => x.title)).toEqual(["Whistle", "Low Hum"]);
    const byId = await s.json("getTopSongs", { id: await artistId("Björk Demo"), count: "1" });
    expect(byId.topSongs.song.map((x: { title: string }) => x.title)).toEqual(["Whistle"]);
  });

  it("resolves similar songs by MusicBrainz id and ISRC, keeping order", async () => {
    const fifth = await db().mediaFile.findFirstOrThrow({ where: { title: "Perfect Fifth" } });
    const whistle = await db().mediaFile.findFirstOrThrow({ where: { title: "Whistle" } });
    await configure("test-library-agent", { similarSongs: [{ name: "x", mbid: fifth.mbzRecordingId }, { name: "y", isrc: whistle.isrc }, { name: "missing" }] });
    const r = await s.admin.getSimilarSongs2({ id: await songId("Low Hum"), count: 5 });
    expect(r.similarSongs2.song!.map((x) => x.title)).toEqual(["Perfect Fifth", "Whistle"]);
  });

  it("answers album info and stores it", async () => {
    await configure("test-library-agent", { albumInfo: { name: "Pure Tones", mbid: "", description: "Album notes", url: "https://agent.example/album" }, albumImages: [{ url: "https://img/cover.jpg", size: 500 }] });
    const album = await db().album.findFirstOrThrow({ where: { name: "Pure Tones" } });
    const r = await s.json("getAlbumInfo2", { id: album.id });
    expect(r.albumInfo).toMatchObject({ notes: "Album notes", lastFmUrl: "https://agent.example/album", largeImageUrl: "https://img/cover.jpg" });
    expect((await db().album.findUniqueOrThrow({ where: { id: album.id } })).description).toBe("Album notes");
  });

  it("moves past an agent that times out", async () => {
    await configure("test-library-agent", { loop: "true" });
    const started = performance.now();
    const r = await s.json("getTopSongs", { artist: "Björk Demo" });
    expect(r.topSongs.song ?? []).toEqual([]);
    expect(performance.now() - started).toBeGreaterThan(900); // the 1 s call timeout ran out
    expect(performance.now() - started).toBeLessThan(5000);
    await configure("test-library-agent", {});
  });
});

describe("lyrics", () => {
  it("follows LyricsPriority: sidecar .lrc first, then embedded tags, then the plugin", async () => {
    const embedded = await s.json("getLyricsBySongId", { id: await songId("A Above Middle C") });
    expect(embedded.lyricsList.structuredLyrics).toEqual([expect.objectContaining({ lang: "eng", synced: false, line: [{ value: "Hold the note" }, { value: "Let it ring" }] })]);

    const fromPlugin = await s.json("getLyricsBySongId", { id: await songId("Whistle") });
    expect(fromPlugin.lyricsList.structuredLyrics).toEqual([
      { displayArtist: "Björk Demo", displayTitle: "Whistle", lang: "eng", offset: 0, synced: false, line: [{ value: "Test lyrics for Whistle" }, { value: "By Björk Demo" }] },
    ]);

    const track = await db().mediaFile.findFirstOrThrow({ where: { title: "Whistle" }, include: { library: true } });
    writeFileSync(path.join(track.library.path, track.path.replace(/\.wav$/, ".lrc")), "[ar:Sidecar Artist]\n[offset:+250]\n[00:01.50]second\n[00:00.20]first\n");
    const lrc = await s.json("getLyricsBySongId", { id: track.id });
    expect(lrc.lyricsList.structuredLyrics[0]).toMatchObject({ synced: true, offset: 250, displayArtist: "Sidecar Artist", line: [{ start: 200, value: "first" }, { start: 1500, value: "second" }] });
  });

  it("answers getLyrics with the first match's text", async () => {
    const r = await s.admin.getLyrics({ artist: "The Tessitura Ensemble", title: "A Above Middle C" });
    expect(r.lyrics.value).toBe("Hold the note\nLet it ring");
  });

  it("skips a failing plugin and answers without lyrics", async () => {
    await configure("test-lyrics", { error: "lyrics service down" });
    const r = await s.json("getLyricsBySongId", { id: await songId("Low Hum") });
    expect(r.lyricsList.structuredLyrics).toEqual([]);
  });
});

describe("sonic similarity", () => {
  it("answers 404 without a provider and is not advertised", async () => {
    const r = await s.raw("getSonicSimilarTracks", { id: await songId("Whistle"), f: "json" });
    expect(r.status).toBe(404);
    const ext = await s.json("getOpenSubsonicExtensions");
    expect(ext.openSubsonicExtensions.map((e: { name: string }) => e.name)).not.toContain("sonicSimilarity");
  });

  it("resolves the provider's matches to library songs with their similarity", async () => {
    const whistle = await db().mediaFile.findFirstOrThrow({ where: { title: "Whistle" } });
    await configure("test-sonic-similarity", { matches: [{ name: "Whistle", artist: "Björk Demo" }, { name: "Nope" }, { id: (await db().mediaFile.findFirstOrThrow({ where: { title: "Low Hum" } })).id, name: "?" }] });
    await manager.enable("test-sonic-similarity");
    const ext = await s.json("getOpenSubsonicExtensions");
    expect(ext.openSubsonicExtensions).toContainEqual({ name: "sonicSimilarity", versions: [1] });
    const r = await s.json("getSonicSimilarTracks", { id: whistle.id, count: "5" });
    expect(r.sonicMatch.map((m: { entry: { title: string }; similarity: number }) => [m.entry.title, m.similarity])).toEqual([
      ["Whistle", 1],
      ["Low Hum", 0.8],
    ]);
    const path_ = await s.json("findSonicPath", { startSongId: whistle.id, endSongId: await songId("Perfect Fifth"), count: "2" });
    expect(path_.sonicMatch[0].entry.title).toBe("Whistle");
  });

  it("turns a provider failure into a Subsonic error", async () => {
    await configure("test-sonic-similarity", { error: "boom" });
    const r = await s.json("getSonicSimilarTracks", { id: await songId("Whistle") });
    expect(r.error).toMatchObject({ code: 0, message: expect.stringContaining("boom") });
  });
});

describe("admin visibility", () => {
  it("says where each capability is used", async () => {
    const { capabilityUsage } = await import("../../plugin-admin/usage");
    expect(capabilityUsage("partial-metadata-agent")).toEqual(["Metadata agent 1 of 2 (Agents setting)"]);
    expect(capabilityUsage("test-library-agent")).toEqual(["Metadata agent 2 of 2 (Agents setting)"]);
    expect(capabilityUsage("test-lyrics")).toEqual(["Lyrics source 3 of 3 (LyricsPriority: .lrc, embedded, test-lyrics)"]);
    expect(capabilityUsage("test-sonic-similarity")).toEqual(["Sonic similarity provider (getSonicSimilarTracks, findSonicPath)"]);
  });
});

describe("artist images from agents in getCoverArt", () => {
  it("serves the agent's image, fetched safely, and falls back to album art for private addresses", async () => {
    const { createServer } = await import("node:http");
    const { coverPng } = await import("../../media/audio-writer");
    const png = coverPng(40, [1, 2, 3], [200, 100, 0]);
    const server = createServer((_req, res) => {
      res.setHeader("Content-Type", "image/png");
      res.end(png);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    process.env.TESSITURA_HTTP_HOST_OVERRIDES = `images.test=127.0.0.1:${port}`;
    try {
      const width = async (id: string) => Buffer.from(await (await s.raw("getCoverArt", { id: `ar-${id}` })).arrayBuffer()).readUInt32BE(16);
      const reset = (id: string) => db().artist.update({ where: { id }, data: { externalInfoUpdatedAt: null, largeImageUrl: "", mediumImageUrl: "", smallImageUrl: "" } });

      const bjork = await artistId("Björk Demo");
      await reset(bjork);
      await configure("test-library-agent", { images: [{ url: "http://images.test/artist.png", size: 300 }] });
      expect(await width(bjork)).toBe(40); // the agent's image

      const pattern = await artistId("Test Pattern");
      await reset(pattern);
      await configure("test-library-agent", { images: [{ url: `http://127.0.0.1:${port}/artist.png`, size: 300 }] });
      expect(await width(pattern)).toBe(128); // loopback refused: the album cover instead
    } finally {
      delete process.env.TESSITURA_HTTP_HOST_OVERRIDES;
      server.close();
    }
  });
});
