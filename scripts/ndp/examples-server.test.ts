import { copyFileSync, mkdtempSync, readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { pluginManager, type PluginManager } from "@/lib/plugins";
import { HOST_OVERRIDES_ENV } from "@/lib/net/host-overrides";
import { waitFor } from "@/lib/testing/background-plugins";
import { startSubsonicTestServer, type SubsonicTestServer } from "@/lib/testing/subsonic-test-server";

// The example plugins that serve Subsonic clients, on a real server with the demo library:
// a metadata agent and a lyrics provider against a local fake API (their hosts pinned to it
// with the operators' override), the sonic-similarity provider over the library, and the
// library analyser's background task over the library's files.
const built = path.resolve(import.meta.dirname, "../../build/plugins");
const pluginsFolder = mkdtempSync(path.join(tmpdir(), "ndp-examples-server-"));
for (const n of ["wikipedia-bios", "lrclib-lyrics", "sonic-neighbours", "library-analyser"]) copyFileSync(path.join(built, `${n}.ndp`), path.join(pluginsFolder, `${n}.ndp`));

/** The fake Wikipedia and LRCLIB: what they were asked, and their answers. */
const requests: string[] = [];
let api: Server;
let s: SubsonicTestServer;
let manager: PluginManager;

function startFakeApi(): Promise<number> {
  api = createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    requests.push(`${req.headers.host}${decodeURIComponent(url.pathname)}${url.search ? decodeURIComponent(url.search) : ""}`);
    const json = (status: number, body: unknown) => res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    if (decodeURIComponent(url.pathname) === "/api/rest_v1/page/summary/Björk_Demo")
      return json(200, {
        type: "standard",
        title: "Björk Demo",
        extract: "Björk Demo is a test artist of pure tones.",
        content_urls: { desktop: { page: "https://en.wikipedia.org/wiki/Bj%C3%B6rk_Demo" } },
        thumbnail: { source: "https://upload.wikimedia.org/bjork-thumb.jpg", width: 320 },
        originalimage: { source: "https://upload.wikimedia.org/bjork.jpg", width: 1600 },
      });
    if (url.pathname === "/api/get" && url.searchParams.get("track_name") === "Whistle")
      return json(200, { id: 7, instrumental: false, plainLyrics: "Whistle a tune", syncedLyrics: "[00:00.50]Whistle\n[00:01.25]a tune" });
    json(404, { title: "Not found." });
  });
  return new Promise((resolve) => api.listen(0, "127.0.0.1", () => resolve((api.address() as AddressInfo).port)));
}

const songId = async (title: string) => (await db().mediaFile.findFirstOrThrow({ where: { title } })).id;

beforeAll(async () => {
  const port = await startFakeApi();
  // The operators' pin (docs/operators.md), read when a plugin's HTTP service is created.
  process.env[HOST_OVERRIDES_ENV] = `en.wikipedia.org=127.0.0.1:${port},lrclib.net=127.0.0.1:${port}`;
  s = await startSubsonicTestServer({ env: { ND_PLUGINS_FOLDER: pluginsFolder, ND_PLUGINS_LOGLEVEL: "info", ND_AGENTS: "wikipedia-bios", ND_LYRICSPRIORITY: "lrclib-lyrics" } });
  manager = pluginManager()!;
  await manager.saveSettings("wikipedia-bios", { config: JSON.stringify({ apiUrl: "http://en.wikipedia.org/api/rest_v1" }) });
  await manager.saveSettings("lrclib-lyrics", { config: JSON.stringify({ apiUrl: "http://lrclib.net/api" }) });
  await manager.saveSettings("sonic-neighbours", { allUsers: true, allLibraries: true });
  for (const id of ["wikipedia-bios", "lrclib-lyrics", "sonic-neighbours"]) await manager.enable(id);
});

afterAll(async () => {
  delete process.env[HOST_OVERRIDES_ENV];
  await s?.close();
  api?.close();
});

describe("wikipedia-bios as the server's metadata agent", () => {
  it("fills getArtistInfo2 from Wikipedia's summary, fetched once per parallel call at most (the cache answers the rest)", async () => {
    const r = await s.json("getArtistInfo2", { id: (await db().artist.findFirstOrThrow({ where: { name: "Björk Demo" } })).id });
    expect(r.artistInfo2).toMatchObject({
      biography: "Björk Demo is a test artist of pure tones.",
      lastFmUrl: "https://en.wikipedia.org/wiki/Bj%C3%B6rk_Demo",
      largeImageUrl: "https://upload.wikimedia.org/bjork.jpg",
      mediumImageUrl: "https://upload.wikimedia.org/bjork-thumb.jpg",
    });
    // The server asks for images, biography and URL two at a time: at most two misses, then hits.
    const asked = requests.filter((q) => q.includes("Björk_Demo"));
    expect(new Set(asked)).toEqual(new Set(["en.wikipedia.org/api/rest_v1/page/summary/Björk_Demo"]));
    expect(asked.length).toBeLessThanOrEqual(2);
  });

  it("answers 'no data' for an artist without a page, so the server stores the lookup", async () => {
    const artist = await db().artist.findFirstOrThrow({ where: { name: "Test Pattern" } });
    const r = await s.json("getArtistInfo2", { id: artist.id });
    expect(r.artistInfo2.biography).toBeUndefined();
    const asked = requests.filter((q) => q.includes("Test_Pattern"));
    expect(new Set(asked)).toEqual(
      new Set(["en.wikipedia.org/api/rest_v1/page/summary/Test_Pattern", "en.wikipedia.org/api/rest_v1/page/summary/Test_Pattern_(band)", "en.wikipedia.org/api/rest_v1/page/summary/Test_Pattern_(musician)"]),
    );
    expect(asked.length).toBeLessThanOrEqual(6); // the miss is cached: never a third round
    expect((await db().artist.findUniqueOrThrow({ where: { id: artist.id } })).externalInfoUpdatedAt).not.toBeNull();
  });
});

describe("lrclib-lyrics in LyricsPriority", () => {
  it("serves synced lyrics for getLyricsBySongId", async () => {
    const r = await s.json("getLyricsBySongId", { id: await songId("Whistle") });
    expect(r.lyricsList.structuredLyrics).toEqual([
      expect.objectContaining({ synced: true, displayTitle: "Whistle", line: [{ start: 500, value: "Whistle" }, { start: 1250, value: "a tune" }] }),
    ]);
    expect(requests).toContainEqual(expect.stringMatching(/^lrclib\.net\/api\/get\?artist_name=Björk Demo&track_name=Whistle&album_name=Pure Tones&duration=\d+$/));
  });
});

describe("sonic-neighbours as the sonic similarity provider", () => {
  it("ranks the library by artist, genre, year and length for getSonicSimilarTracks", async () => {
    const r = await s.json("getSonicSimilarTracks", { id: await songId("Low Hum"), count: "4" });
    expect(r.sonicMatch.map((m: { entry: { title: string }; similarity: number }) => [m.entry.title, m.similarity])).toEqual([
      ["Middle Ground", 0.9],
      ["Whistle", 0.9],
      ["Reference Tone", 0.535],
      ["Sweep Marker", 0.535],
    ]);
  });

  it("walks from the start track to the end track for findSonicPath", async () => {
    const r = await s.json("findSonicPath", { startSongId: await songId("Low Hum"), endSongId: await songId("Octave Down"), count: "4" });
    const titles = r.sonicMatch.map((m: { entry: { title: string } }) => m.entry.title);
    expect(titles).toHaveLength(4);
    expect(titles[0]).toBe("Low Hum");
    expect(titles[3]).toBe("Octave Down");
  });
});

describe("library-analyser's background task", () => {
  it("analyses the library's files after enabling and answers the report", async () => {
    await manager.saveSettings("library-analyser", { allLibraries: true });
    await manager.enable("library-analyser");
    const report = await waitFor(
      async () => {
        try {
          return await manager.call<Record<string, unknown>>("library-analyser", "library_report", { libraryId: s.demoLibraryId });
        } catch {
          return null; // no report yet
        }
      },
      15_000,
      "the library report",
    );
    const library = await db().library.findUniqueOrThrow({ where: { id: s.demoLibraryId } });
    const wavs = readdirSync(library.path, { recursive: true }).filter((f) => String(f).endsWith(".wav")).length;
    expect(report).toMatchObject({ libraryId: s.demoLibraryId, audioFiles: wavs, byExtension: { wav: wavs }, foldersWithoutCover: 1 });
    expect(manager.activity("library-analyser").recentLines().map((l) => l.message)).toContainEqual(expect.stringMatching(/^library \d+ \(.+\): \d+ audio files in \d+ folders, 1 without cover art$/));
  });
});
