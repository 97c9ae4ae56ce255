import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { db } from "../../db/client";
import { log } from "../../log";
import { startScan } from "../../scanner/scanner";
import { handleSubsonic } from "../../subsonic/dispatch";
import { bootTestServer } from "../../testing/boot-test-server";
import { serveHandler } from "../../testing/serve-handler";
import type { Config } from "../../config";
import { writeDemoLibrary } from "../demo-library";
import { Transcoder } from "./transcoder";

/** A server whose ffmpeg path points at nothing: it still streams, the original, and says why. */
let url = "";
let close: () => Promise<void>;
let config: Config;
const q = (params: Record<string, string>) => new URLSearchParams({ u: "admin", p: "admin-pass", v: "1.16.1", c: "test", ...params });

beforeAll(async () => {
  ({ config } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false", ND_TRANSCODING_FFMPEGPATH: "/nonexistent/bin/ffmpeg" }));
  writeDemoLibrary(config.resolved.musicFolder, { seconds: 1 });
  await startScan();
  ({ url, close } = await serveHandler(handleSubsonic));
});
afterAll(() => close());

it("streams the original file with a clear log line and header when ffmpeg is missing", async () => {
  const song = await db().mediaFile.findFirstOrThrow({ where: { title: "Perfect Fifth" } });
  const r = await fetch(`${url}/rest/stream?${q({ id: song.id, format: "mp3", maxBitRate: "64", timeOffset: "1" })}`);
  expect(r.status).toBe(200);
  expect(r.headers.get("content-type")).toBe("audio/wav");
  expect(r.headers.get("x-transcoding")).toBe("unavailable (ffmpeg not found); original sent");
  expect(new Uint8Array(await r.arrayBuffer()).length).toBe(Number(song.size));
  // The line boot logs (it builds the server's Transcoder the same way); spied here because
  // boot's setLogLevel redefines the logger's level methods.
  const warn = vi.spyOn(log, "warn");
  expect(new Transcoder(config).available).toBe(false);
  const lines = warn.mock.calls.map((c) => String(c[0]));
  expect(lines.filter((l) => l.startsWith("ffmpeg not found"))).toEqual([
    'ffmpeg not found (Transcoding.FFmpegPath = "/nonexistent/bin/ffmpeg"): transcoding is off and streams are sent as the original files. Install Debian\'s ffmpeg package (apt-get install ffmpeg) or set ND_TRANSCODING_FFMPEGPATH.',
  ]);
});

it("does not advertise transcodeOffset without ffmpeg", async () => {
  const ext = await (await fetch(`${url}/rest/getOpenSubsonicExtensions?f=json`)).json();
  expect(ext["subsonic-response"].openSubsonicExtensions.map((e: { name: string }) => e.name)).not.toContain("transcodeOffset");
});
