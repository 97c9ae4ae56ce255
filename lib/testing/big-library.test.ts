import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readTrack, type ScannedTrack } from "../scanner/tags";
import { ensureBigLibrary } from "./big-library";

const base = mkdtempSync(path.join(tmpdir(), "tessitura-big-library-"));
const TRACKS = 600;

function files(folder: string, dir = ""): string[] {
  return readdirSync(path.join(folder, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    return e.isDirectory() ? files(folder, rel) : [rel];
  });
}

/** Every file of a library with a hash of its bytes, sorted by path. */
const fingerprint = (folder: string) =>
  files(folder)
    .sort()
    .map((f) => `${f} ${createHash("sha1").update(readFileSync(path.join(folder, f))).digest("hex")}`);

let tracks: ScannedTrack[] = [];
const a = path.join(base, "a");

beforeAll(async () => {
  await ensureBigLibrary(a, { tracks: TRACKS, seed: 7 });
  const audio = files(a).filter((f) => f.endsWith(".flac"));
  tracks = await Promise.all(audio.map((f) => readTrack(1, a, f)));
});

describe("the big-library generator", () => {
  it("writes exactly the tracks asked for, each a file the scanner's tag reader reads as FLAC audio", () => {
    expect(tracks).toHaveLength(TRACKS);
    for (const t of tracks) {
      expect(t.suffix).toBe("flac");
      expect(t.duration).toBeGreaterThan(0.5);
      expect(t.sampleRate).toBe(8000);
    }
  });

  it("is deterministic from its seed, and another seed gives another library", async () => {
    const again = path.join(base, "again");
    const other = path.join(base, "other");
    await ensureBigLibrary(again, { tracks: TRACKS, seed: 7 });
    await ensureBigLibrary(other, { tracks: TRACKS, seed: 8 });
    expect(fingerprint(again)).toEqual(fingerprint(a));
    expect(fingerprint(other)).not.toEqual(fingerprint(a));
  });

  it("is cached by its parameters: the same ones leave the files alone, new ones rebuild", async () => {
    const folder = path.join(base, "cached");
    expect((await ensureBigLibrary(folder, { tracks: 50, seed: 3 })).generated).toBe(true);
    const first = files(folder).find((f) => f.endsWith(".flac"))!;
    const mtime = statSync(path.join(folder, first)).mtimeMs;
    expect((await ensureBigLibrary(folder, { tracks: 50, seed: 3 })).generated).toBe(false);
    expect(statSync(path.join(folder, first)).mtimeMs).toBe(mtime);
    const bigger = await ensureBigLibrary(folder, { tracks: 80, seed: 3 });
    expect(bigger.generated).toBe(true);
    expect(files(folder).filter((f) => f.endsWith(".flac"))).toHaveLength(80);
  });

  it("has realistic tag variety: scripts, multi-artist credits, compilations, MusicBrainz ids, discs, covers", () => {
    const names = tracks.flatMap((t) => [t.title, t.album, t.artist]);
    expect(names.some((n) => /[À-ÿĀ-ž]/.test(n))).toBe(true); // accented Latin
    expect(names.some((n) => /[\u0400-\u04ff]/.test(n))).toBe(true); // Cyrillic
    expect(names.some((n) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(n))).toBe(true); // CJK
    const multi = tracks.filter((t) => (JSON.parse(t.participants) as { role: string }[]).filter((p) => p.role === "artist").length === 2);
    expect(multi.length / TRACKS).toBeGreaterThan(0.04);
    expect(multi[0].artist).toContain(" • ");
    const compilation = tracks.filter((t) => t.albumArtist === "Various Artists");
    expect(compilation.length).toBeGreaterThan(0);
    expect(new Set(compilation.map((t) => t.artistId)).size).toBeGreaterThan(1);
    for (const t of tracks) {
      expect(t.mbzAlbumId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(t.mbzRecordingId).not.toBe("");
      expect(t.mbzArtistId).not.toBe("");
      expect(t.trackNumber).toBeGreaterThan(0);
      expect(t.year).toBeGreaterThanOrEqual(1960);
    }
    expect(tracks.some((t) => t.discNumber === 2)).toBe(true);
    expect(new Set(tracks.map((t) => t.genre)).size).toBeGreaterThan(8);
    expect(tracks.some((t) => JSON.parse(t.genres).length === 2)).toBe(true);
    const embedded = tracks.filter((t) => t.hasCoverArt).length / TRACKS;
    expect(embedded).toBeGreaterThan(0.02);
    expect(embedded).toBeLessThan(0.3);
    expect(files(a).some((f) => f.endsWith("/cover.png"))).toBe(true);
  });
});
