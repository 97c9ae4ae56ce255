import { rmSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { wavWithTags } from "../media/audio-writer";
import { writeDemoLibrary } from "../media/demo-library";
import { bootTestServer } from "../testing/boot-test-server";
import { albumId, artistId } from "./ids";
import { scanStatus, startScan } from "./scanner";

let music = "";

beforeAll(async () => {
  const { config } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  music = config.resolved.musicFolder;
  writeDemoLibrary(music, { seconds: 1 });
  await startScan();
});

describe("scanning the demo library", () => {
  it("builds tracks, albums and artists with their tags", async () => {
    expect(await db().mediaFile.count()).toBe(10);
    expect(await db().album.count()).toBe(4);
    const track = await db().mediaFile.findFirstOrThrow({ where: { title: "A Above Middle C" } });
    expect(track).toMatchObject({
      album: "Sine Waves",
      artist: "The Tessitura Ensemble",
      albumArtist: "The Tessitura Ensemble",
      trackNumber: 1,
      discNumber: 1,
      year: 2024,
      genre: "Ambient",
      suffix: "wav",
      contentType: "audio/wav",
      hasCoverArt: true,
      bitRate: 128,
      mbzAlbumId: "0c8f2f5e-2d0c-4d5e-8a3a-6f1b2c3d4e01",
      mbzArtistId: "7f1a1c2e-0b7e-4c59-9b9e-1f0d6e3c5a01",
    });
    expect(track.duration).toBeCloseTo(1, 1);
    expect(JSON.parse(track.lyrics)).toEqual([{ lang: "eng", synced: false, line: [{ value: "Hold the note" }, { value: "Let it ring" }] }]);
  });

  it("credits every artist of a multi-artist track", async () => {
    const t = await db().mediaFile.findFirstOrThrow({ where: { title: "Third Partial" } });
    expect(t.artist).toBe("The Tessitura Ensemble • Björk Demo");
    const names = (JSON.parse(t.participants) as { name: string; role: string }[]).filter((p) => p.role === "artist").map((p) => p.name);
    expect(names).toEqual(["The Tessitura Ensemble", "Björk Demo"]);
    const bjork = await db().artist.findUniqueOrThrow({ where: { id: artistId("Björk Demo") } });
    expect(bjork.albumCount).toBe(2); // her own album and the one she is featured on
    expect(bjork.songCount).toBe(4);
  });

  it("aggregates albums and picks their cover (folder image or embedded art)", async () => {
    const sine = await db().album.findUniqueOrThrow({ where: { id: albumId(1, "The Tessitura Ensemble", "Sine Waves") } });
    expect(sine).toMatchObject({ songCount: 3, minYear: 2024, maxYear: 2024, genre: "Ambient" });
    expect(sine.coverArtPath).toMatch(/^embedded:/);
    const harmonics = await db().album.findFirstOrThrow({ where: { name: "Harmonics" } });
    expect(harmonics.coverArtPath).toBe("The Tessitura Ensemble/2025 - Harmonics/cover.png");
  });

  it("records library statistics", async () => {
    const lib = await db().library.findFirstOrThrow();
    expect(lib).toMatchObject({ totalSongs: 10, totalAlbums: 4, totalArtists: 3 });
    expect(lib.lastScanAt).not.toBeNull();
    expect(Number(lib.totalSize)).toBeGreaterThan(0);
  });
});

describe("incremental rescans", () => {
  it("reads only new and changed files, removes missing ones, and keeps ids stable", async () => {
    const before = await db().mediaFile.findFirstOrThrow({ where: { title: "Low Hum" } });
    const file = path.join(music, before.path);
    writeFileSync(file, wavWithTags({ title: "Low Hum (Remastered)", artist: "Björk Demo", album: "Pure Tones", albumArtist: "Björk Demo", track: 1 }, { seconds: 1 }));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    writeFileSync(path.join(music, "new-single.wav"), wavWithTags({ title: "New Single", artist: "Newcomer", album: "Single" }, { seconds: 1 }));
    rmSync(path.join(music, "Test Pattern"), { recursive: true });

    await startScan();
    const s = scanStatus();
    expect(s).toMatchObject({ scanning: false, changed: 2, removed: 2 });
    const after = await db().mediaFile.findUniqueOrThrow({ where: { id: before.id } });
    expect(after.title).toBe("Low Hum (Remastered)");
    expect(await db().artist.findUnique({ where: { id: artistId("Test Pattern") } })).toBeNull();
    expect(await db().artist.findUnique({ where: { id: artistId("Newcomer") } })).not.toBeNull();
    expect(await db().mediaFile.count()).toBe(9);
  });

  it("reports unreadable files without stopping the scan", async () => {
    writeFileSync(path.join(music, "broken.flac"), "fLaC\u0000\u0000 and then garbage");
    writeFileSync(path.join(music, "empty.mp3"), "no audio here");
    await startScan();
    expect(scanStatus().errors.map((e) => e.path).sort()).toEqual(["broken.flac", "empty.mp3"]);
    expect(await db().mediaFile.count()).toBe(9);
  });
});
