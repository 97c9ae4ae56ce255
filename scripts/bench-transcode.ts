/**
 * Transcoding figures for `npm run bench` (issue #17), called from scripts/bench.ts:
 *
 *   11a. time to first byte of a transcoded stream (opus 128k, ffmpeg started per request,
 *        nothing cached) vs the original file, through the Subsonic route over HTTP
 *   11b. the same request again, served from the transcode cache, vs the original
 *
 * Uses the process's booted server (booting one on a temporary folder when no earlier
 * figure did) and a library of its own: 20-second 44.1 kHz tracks, one per sample, so
 * every cold request really starts ffmpeg.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { wavWithTags } from "../lib/media/audio-writer";
import { transcoder } from "../lib/media/transcode/transcoder";
import { insertLibrary, mediaFileIdsOfLibrary } from "../lib/db/libraries";
import { listUserRows } from "../lib/db/users";
import { startScan } from "../lib/scanner/scanner";
import { boot } from "../lib/server/boot";
import { handleSubsonic } from "../lib/subsonic/dispatch";
import { serveHandler } from "../lib/testing/serve-handler";

interface TranscodeBenchContext {
  print: (row: { figure: string; ours: number; baseline: number; unit: string; ratio: number; target: string; met: boolean }) => void;
  quick: boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function transcodeFigures(b: TranscodeBenchContext): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), "tessitura-bench-transcode-"));
  const config = await boot({ ND_DATAFOLDER: path.join(scratch, "data"), ND_SCANNER_SCANONSTARTUP: "false", ND_DEVAUTOCREATEADMINPASSWORD: "bench-pass", ND_LOGLEVEL: "error" });
  if (!transcoder().available) {
    console.log("\n11. transcoding: skipped, ffmpeg not found");
    return;
  }
  const samples = b.quick ? 7 : 21;
  const music = path.join(scratch, "music");
  for (let i = 0; i < samples; i++) {
    const dir = path.join(music, "Bench Transcode", "Album");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${i}.wav`), wavWithTags({ title: `Bench ${i}`, artist: "Bench Transcode", album: "Album", track: i + 1 }, { seconds: 20, hz: 220 + 20 * i, sampleRate: 44100 }));
  }
  const library = await insertLibrary({ name: "Bench transcode", path: music });
  await startScan();
  const ids = await mediaFileIdsOfLibrary(library.id);
  const admin = (await listUserRows()).find((u) => u.isAdmin);
  if (!admin) throw new Error("bench: no admin user");
  const { url, close } = await serveHandler(handleSubsonic);
  const auth = new URLSearchParams({ u: admin.userName, p: config.DevAutoCreateAdminPassword || "bench-pass", v: "1.16.1", c: "bench" });
  const ttfb = async (params: Record<string, string>) => {
    const t = performance.now();
    const res = await fetch(`${url}/rest/stream?${auth}&${new URLSearchParams(params)}`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    const ms = performance.now() - t;
    if (!res.ok || !first.value?.length || !res.headers.get("content-type")?.startsWith("audio/")) throw new Error(`stream failed: ${res.status} ${res.headers.get("content-type")}`);
    await reader.cancel();
    return ms;
  };
  const original: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  const waitIdle = async () => {
    while (transcoder().inFlight > 0) await new Promise((r) => transcoder().events.once("exit", r));
  };
  await ttfb({ id: ids[0], format: "raw" }); // warm the route
  for (const id of ids) {
    original.push(await ttfb({ id, format: "raw" }));
    // Read to the end so the output is complete and cached for the warm figure.
    const t = performance.now();
    const res = await fetch(`${url}/rest/stream?${auth}&${new URLSearchParams({ id, format: "opus", maxBitRate: "128" })}`);
    const reader = res.body!.getReader();
    await reader.read();
    cold.push(performance.now() - t);
    while (!(await reader.read()).done);
    await waitIdle();
    warm.push(await ttfb({ id, format: "opus", maxBitRate: "128" }));
  }
  await close();
  const o = median(original);
  const c = median(cold);
  const w = median(warm);
  b.print({ figure: `11a. time to first byte, transcoded stream (opus 128k, cold) vs original (median of ${samples})`, ours: c, baseline: o, unit: "ms", ratio: c / o, target: "report", met: true });
  b.print({ figure: "11b. time to first byte, transcoded stream from the cache vs original", ours: w, baseline: o, unit: "ms", ratio: w / o, target: "report", met: true });
  rmSync(music, { recursive: true, force: true });
}
