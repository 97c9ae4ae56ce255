import { createHash } from "node:crypto";
import { utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { wavWithTags } from "../media/audio-writer";
import { writeDemoLibrary } from "../media/demo-library";
import { ensureBigLibrary } from "../testing/big-library";
import { bootTestServer } from "../testing/boot-test-server";
import { scanStatus, startScan } from "./scanner";

/**
 * The batched, worker-fed scanner on a 2 000-track generated library plus the demo library:
 * what it stores is what the scanner stored before the rewrite (a digest of every row, taken
 * with the previous implementation), and a rescan of an unchanged library writes nothing
 * (counted by triggers on the catalogue tables, whichever connection writes).
 */

/**
 * sha1 of every Artist, Album and MediaFile row and the library totals, timestamps and the
 * library's (temporary) folder left out. Computed with the
 * scanner before batching (lib/scanner/scanner.ts at the start of issue #18).
 */
const GOLDEN = "f9be35743c93c8957373de752799e0cac5fc450e";

let music = "";
let digestAfterFullScan = "";

/** The columns there were when the digest was taken: columns added later do not change it. */
const COLUMNS = new Set(
  [
    "id name sortName orderName mbzArtistId albumCount songCount size biography smallImageUrl mediumImageUrl largeImageUrl externalUrl similarArtists externalInfoUpdatedAt",
    "libraryId albumArtistId albumArtist minYear maxYear genre genres songCount duration mbzAlbumId mbzReleaseGroupId coverArtPath description",
    "path title album albumId artist artistId participants trackNumber discNumber year bitRate sampleRate channels suffix contentType hasCoverArt",
    "mbzRecordingId mbzReleaseTrackId mbzArtistId mbzAlbumArtistId isrc lyrics missing totalSongs totalAlbums totalArtists totalSize totalDuration",
  ].flatMap((line) => line.split(" ")),
);

async function digest(): Promise<string> {
  const strip = <T extends Record<string, unknown>>(rows: T[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => COLUMNS.has(k))));
  const rows = {
    artists: strip(await db().artist.findMany({ orderBy: { id: "asc" } })),
    albums: strip(await db().album.findMany({ orderBy: { id: "asc" } })),
    tracks: strip(await db().mediaFile.findMany({ orderBy: { id: "asc" } })),
    libraries: strip(await db().library.findMany({ orderBy: { id: "asc" }, omit: { path: true } })), // a temporary folder
  };
  return createHash("sha1")
    .update(JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)))
    .digest("hex");
}

/** Rows inserted, updated or deleted in the catalogue tables since the counter was created (triggers see every connection). */
async function installWriteCounter(): Promise<() => Promise<Record<string, number>>> {
  await db().$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS "TestWrites" ("tbl" TEXT NOT NULL, "op" TEXT NOT NULL)`);
  for (const table of ["MediaFile", "Album", "Artist"])
    for (const op of ["INSERT", "UPDATE", "DELETE"])
      await db().$executeRawUnsafe(`CREATE TRIGGER IF NOT EXISTS "count_${table}_${op}" AFTER ${op} ON "${table}" BEGIN INSERT INTO "TestWrites" VALUES ('${table}', '${op}'); END`);
  await db().$executeRawUnsafe(`DELETE FROM "TestWrites"`);
  return async () => {
    const rows = await db().$queryRawUnsafe<{ k: string; n: bigint | number }[]>(`SELECT tbl || ' ' || op AS k, COUNT(*) AS n FROM "TestWrites" GROUP BY k`);
    await db().$executeRawUnsafe(`DELETE FROM "TestWrites"`);
    return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
  };
}

let writes: () => Promise<Record<string, number>>;

beforeAll(async () => {
  const { config } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  music = config.resolved.musicFolder;
  writeDemoLibrary(path.join(music, "demo"), { seconds: 1 });
  await ensureBigLibrary(path.join(music, "big"), { tracks: 2000, seed: 11 });
  await startScan({ full: true });
  digestAfterFullScan = await digest();
  writes = await installWriteCounter();
}, 120_000);

describe("scanning 2 000 generated tracks and the demo library", () => {
  it("stores exactly what the scanner stored before batching", async () => {
    expect(scanStatus().errors).toEqual([]);
    expect(await db().mediaFile.count()).toBe(2010);
    expect(digestAfterFullScan).toBe(GOLDEN);
  });

  it("rescans an unchanged library without writing a row, incrementally or in full", async () => {
    await startScan();
    expect(scanStatus()).toMatchObject({ count: 2010, changed: 0, removed: 0 });
    expect(await writes()).toEqual({});
    await startScan({ full: true });
    expect(scanStatus()).toMatchObject({ count: 2010, changed: 2010, removed: 0 });
    expect(await writes()).toEqual({});
    expect(await digest()).toBe(digestAfterFullScan);
  });

  /** Retags a demo track on disk (newer modification time) and rescans. */
  async function retag(title: string, newTitle: string) {
    const track = await db().mediaFile.findFirstOrThrow({ where: { title } });
    const file = path.join(music, track.path);
    writeFileSync(file, wavWithTags({ title: newTitle, artist: "Björk Demo", album: "Pure Tones", albumArtist: "Björk Demo", track: 2, year: 2023, genre: "Electronic" }, { seconds: 1 }));
    utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    return track;
  }

  it("rewrites only the changed track, in place", async () => {
    const track = await retag("Whistle", "Whistle (Live)");
    await startScan();
    expect(scanStatus()).toMatchObject({ changed: 1, removed: 0 });
    const counted = await writes();
    expect([counted["MediaFile UPDATE"], counted["MediaFile INSERT"] ?? 0, counted["MediaFile DELETE"] ?? 0]).toEqual([1, 0, 0]);
    expect((await db().mediaFile.findUniqueOrThrow({ where: { id: track.id } })).title).toBe("Whistle (Live)");
  });

  it("keeps the scrobbles of a retagged track (they used to go with the row it was replaced by)", async () => {
    const admin = await db().user.findFirstOrThrow();
    const track = await db().mediaFile.findFirstOrThrow({ where: { title: "Whistle (Live)" } });
    await db().scrobble.create({ data: { userId: admin.id, mediaFileId: track.id, submissionTime: 1n } });
    await retag("Whistle (Live)", "Whistle (Live, 2024)");
    await startScan();
    expect(scanStatus().changed).toBe(1);
    expect(await db().scrobble.count({ where: { mediaFileId: track.id } })).toBe(1);
  });
});
