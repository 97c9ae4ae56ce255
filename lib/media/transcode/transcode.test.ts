import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db/client";
import { startScan } from "../../scanner/scanner";
import { handleSubsonic } from "../../subsonic/dispatch";
import { bootTestServer } from "../../testing/boot-test-server";
import { validatingFetch } from "../../testing/subsonic-test-server";
import { createUser } from "../../users/users";
import { wavWithTags } from "../audio-writer";
import { writeDemoLibrary } from "../demo-library";
import { transcoder } from "./transcoder";

/**
 * Transcoding through the real Subsonic route, real ffmpeg/ffprobe and SQLite. The AAC
 * profile runs ffmpeg with `-re` (input read at playback speed), so its jobs last as long
 * as the track: long enough to join or leave them while they run, without timers.
 */
const SLOW_AAC = "ffmpeg -v error -re -ss %t -i %s -map 0:a:0 -c:a aac -b:a %bk -f adts -";
let url = "";
let close: () => Promise<void>;
let longId = "";
let shortId = "";
let cacheFolder = "";
const creds = { u: "admin", p: "admin-pass" };
const q = (params: Record<string, string>, c: { u: string; p: string } = creds) => new URLSearchParams({ ...c, v: "1.16.1", c: "test", ...params });
const streamUrl = (params: Record<string, string>) => `${url}/rest/stream?${q(params)}`;

/**
 * Serves the Subsonic handler the way Next does: the body is piped with an abort signal
 * that fires when the client goes away, which cancels the response stream.
 */
async function serveLikeNext(handler: (req: Request) => Promise<Response>) {
  const server = createServer(async (req, res) => {
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const init = { method: req.method, headers: req.headers as Record<string, string>, body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined, duplex: "half" };
    const response = await handler(new Request(`http://127.0.0.1${req.url}`, init as RequestInit));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return res.end();
    const abort = new AbortController();
    res.on("close", () => !res.writableFinished && abort.abort());
    await response.body.pipeTo(Writable.toWeb(res), { signal: abort.signal }).catch(() => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** ffprobe's view of bytes: codec, format, duration. */
function probe(bytes: Uint8Array, opts: { strict?: boolean } = {}): { codec: string; format: string; duration: number } {
  const dir = mkdtempSync(path.join(tmpdir(), "probe-"));
  const file = path.join(dir, "out.bin");
  writeFileSync(file, bytes);
  const out = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name:format=format_name,duration", "-of", "json", file]).toString());
  // Decoding the whole stream proves it is playable, not only that it has a header.
  execFileSync("ffmpeg", ["-v", "error", ...(opts.strict === false ? [] : ["-xerror"]), "-i", file, "-f", "null", "-"]);
  const decoded = execFileSync("ffprobe", ["-v", "error", "-count_packets", "-show_entries", "format=duration", "-of", "csv=p=0", file]).toString().trim();
  return { codec: out.streams[0].codec_name, format: out.format.format_name, duration: Number(out.format.duration ?? decoded) };
}

const bytesOf = async (r: Response) => new Uint8Array(await r.arrayBuffer());
/** Resolves once no ffmpeg job is running or waiting (earlier tests' jobs may end after their responses). */
async function idle() {
  while (transcoder().inFlight > 0) await new Promise((r) => transcoder().events.once("exit", r));
}
const nextEvent = <T>(name: "spawn" | "exit") => new Promise<T>((r) => transcoder().events.once(name, r));

beforeAll(async () => {
  const { config } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false", ND_TRANSCODING_AACCOMMAND: SLOW_AAC });
  cacheFolder = path.join(config.resolved.cacheFolder, "transcoding");
  writeDemoLibrary(config.resolved.musicFolder, { seconds: 1 });
  const dir = path.join(config.resolved.musicFolder, "Long Tones", "2020 - Long");
  mkdirSync(dir, { recursive: true });
  // 10 s at 44.1 kHz mono: 705.6 kbps, long enough for bit-rate measurements to mean something.
  writeFileSync(path.join(dir, "01 - Long Tone.wav"), wavWithTags({ title: "Long Tone", artist: "Long Tones", album: "Long", track: 1 }, { seconds: 10, hz: 440, sampleRate: 44100 }));
  await startScan();
  longId = (await db().mediaFile.findFirstOrThrow({ where: { title: "Long Tone" } })).id;
  shortId = (await db().mediaFile.findFirstOrThrow({ where: { title: "Perfect Fifth" } })).id;
  ({ url, close } = await serveLikeNext(handleSubsonic));
});
afterAll(() => close());

describe("stream with format and maxBitRate", () => {
  it.each([
    ["opus", "opus", "ogg", "audio/ogg"],
    ["mp3", "mp3", "mp3", "audio/mpeg"],
    ["aac", "aac", "aac", "audio/aac"],
  ])("format=%s gives a decodable %s stream", async (format, codec, container, type) => {
    const r = await fetch(streamUrl({ id: shortId, format }));
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe(type);
    const info = probe(await bytesOf(r));
    expect(info.codec).toBe(codec);
    expect(info.format).toContain(container);
    expect(info.duration).toBeGreaterThan(0.8);
  });

  it("honours maxBitRate: the measured bit rate of the output is at most the cap", async () => {
    const kbps = async (params: Record<string, string>) => {
      const bytes = await bytesOf(await fetch(streamUrl({ id: longId, ...params })));
      return (bytes.length * 8) / 10 / 1000;
    };
    const mp3At64 = await kbps({ format: "mp3", maxBitRate: "64" });
    const mp3At128 = await kbps({ format: "mp3", maxBitRate: "128" });
    expect(mp3At64).toBeLessThanOrEqual(64 * 1.03);
    expect(mp3At64).toBeGreaterThan(64 * 0.9);
    expect(mp3At128).toBeLessThanOrEqual(128 * 1.03);
    expect(mp3At128).toBeGreaterThan(128 * 0.9);
    // No format: the 705 kbps WAV over a 96 kbps cap becomes the default format (opus) within the cap.
    const r = await fetch(streamUrl({ id: longId, maxBitRate: "96" }));
    expect(r.headers.get("content-type")).toBe("audio/ogg");
    const opus = await bytesOf(r);
    expect(probe(opus).codec).toBe("opus");
    expect((opus.length * 8) / 10 / 1000).toBeLessThanOrEqual(96 * 1.05);
  });

  it("applies the lowest of the request's, the player's and the user's caps", async () => {
    const user = await createUser({ userName: "capped", password: "capped-pass-1", isAdmin: true });
    await db().user.update({ where: { id: user.id }, data: { maxBitRate: 48 } });
    const capped = { u: "capped", p: "capped-pass-1" };
    const kbps = async (params: Record<string, string>, headers: Record<string, string> = {}) =>
      ((await bytesOf(await fetch(`${url}/rest/stream?${q({ id: longId, format: "mp3", ...params }, capped)}`, { headers }))).length * 8) / 10 / 1000;
    expect(await kbps({ maxBitRate: "128" })).toBeLessThanOrEqual(48 * 1.05);
    await db().player.create({ data: { id: "p-capped", name: "t", userId: user.id, client: "test", userAgent: "capped-agent", maxBitRate: 32 } });
    expect(await kbps({}, { "user-agent": "capped-agent" })).toBeLessThanOrEqual(32 * 1.05);
  });

  it("leaves the original alone when nothing asks for a change, and download always sends it", async () => {
    const song = await db().mediaFile.findUniqueOrThrow({ where: { id: longId } });
    for (const params of [{}, { format: "raw", maxBitRate: "64" }, { maxBitRate: "1000" }, { format: "wav" }] as Record<string, string>[]) {
      const r = await fetch(streamUrl({ id: longId, ...params }));
      expect(r.headers.get("content-type"), JSON.stringify(params)).toBe("audio/wav");
      expect((await bytesOf(r)).length).toBe(Number(song.size));
    }
    const d = await fetch(`${url}/rest/download?${q({ id: longId, format: "mp3", maxBitRate: "64" })}`);
    expect(d.headers.get("content-type")).toBe("audio/wav");
    expect((await bytesOf(d)).length).toBe(Number(song.size));
  });

  it("starts at timeOffset (transcodeOffset), advertised as an OpenSubsonic extension", async () => {
    const full = probe(await bytesOf(await fetch(streamUrl({ id: longId, format: "mp3" }))));
    const cut = probe(await bytesOf(await fetch(streamUrl({ id: longId, format: "mp3", timeOffset: "6" }))));
    expect(full.duration).toBeGreaterThan(9.5);
    expect(cut.duration).toBeGreaterThan(3.5);
    expect(cut.duration).toBeLessThan(4.5);
    const ext = await (await fetch(`${url}/rest/getOpenSubsonicExtensions?f=json`)).json();
    expect(ext["subsonic-response"].openSubsonicExtensions).toContainEqual({ name: "transcodeOffset", versions: [1] });
  });

  it("announces an exact Content-Length with estimateContentLength", async () => {
    // 56 kbps: not cached yet (a cached output is sent with its real length).
    const r = await fetch(streamUrl({ id: longId, format: "mp3", maxBitRate: "56", estimateContentLength: "true" }));
    expect(r.headers.get("content-length")).toBe(String((10 * 56 * 1000) / 8));
    const bytes = await bytesOf(r);
    expect(bytes.length).toBe(70_000);
    // Cut to the estimate: the last frame may be partial, which decoders skip.
    const info = probe(bytes, { strict: false });
    expect(info.codec).toBe("mp3");
    expect(info.duration).toBeGreaterThan(9.8);
  });

  it("answers errors for bad parameters", async () => {
    const json = async (params: Record<string, string>) => (await (await fetch(streamUrl({ f: "json", ...params }))).json())["subsonic-response"];
    expect(await json({ format: "mp3" })).toMatchObject({ status: "failed", error: { code: 10 } });
    expect(await json({ id: longId, format: "flv" })).toMatchObject({ status: "failed", error: { code: 0, message: expect.stringContaining("Unsupported format") } });
    expect(await json({ id: longId, maxBitRate: "fast" })).toMatchObject({ error: { code: 0 } });
    expect(await json({ id: longId, maxBitRate: "-5" })).toMatchObject({ error: { code: 0 } });
    expect(await json({ id: longId, format: "mp3", timeOffset: "-1" })).toMatchObject({ error: { code: 0 } });
    expect(await json({ id: "missing", format: "mp3" })).toMatchObject({ error: { code: 70 } });
  });
});

describe("OpenSubsonic transcoding extension", () => {
  const decide = async (info: unknown, params: Record<string, string> = {}) => {
    const r = await validatingFetch(`${url}/rest/getTranscodeDecision?${q({ mediaId: longId, mediaType: "song", f: "json", ...params })}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(info),
    });
    return (await r.json())["subsonic-response"];
  };

  it("lets a client that plays the file's format play it directly", async () => {
    const r = await decide({ name: "t", platform: "test", directPlayProfiles: [{ containers: ["wav"], audioCodecs: ["pcm"], protocols: ["http"] }] });
    expect(r.transcodeDecision).toMatchObject({ canDirectPlay: true, canTranscode: false, sourceStream: { container: "wav", codec: "pcm", audioSamplerate: 44100 } });
  });

  it("picks the client's first transcoding profile we can make, within its bit-rate limits, and streams it", async () => {
    const r = await decide({
      name: "t",
      platform: "test",
      maxTranscodingAudioBitrate: 96000,
      directPlayProfiles: [{ container: "mp3", audioCodec: "mp3", protocol: "http" }],
      transcodingProfiles: [
        { container: "mp4", audioCodec: "alac", protocol: "hls" },
        { container: "mp3", audioCodec: "mp3", protocol: "http" },
      ],
    });
    expect(r.transcodeDecision).toMatchObject({ canDirectPlay: false, canTranscode: true, transcodeReason: ["ContainerNotSupported"], transcodeParams: "mp3-96", transcodeStream: { container: "mp3", codec: "mp3", audioBitrate: 96000 } });
    const s = await fetch(`${url}/rest/getTranscodeStream?${q({ mediaId: longId, mediaType: "song", transcodeParams: r.transcodeDecision.transcodeParams, offset: "5" })}`);
    expect(s.headers.get("content-type")).toBe("audio/mpeg");
    const bytes = await bytesOf(s);
    const info = probe(bytes);
    expect(info.codec).toBe("mp3");
    expect(info.duration).toBeGreaterThan(4.5);
    expect(info.duration).toBeLessThan(5.5);
    expect((bytes.length * 8) / 5 / 1000).toBeLessThanOrEqual(96 * 1.05);
  });

  it("refuses a decision without a JSON body, and transcodeParams it did not issue", async () => {
    const get = await (await fetch(`${url}/rest/getTranscodeDecision?${q({ mediaId: longId, mediaType: "song", f: "json" })}`)).json();
    expect(get["subsonic-response"].error.code).toBe(10);
    expect((await decide({}, { mediaId: "nope" })).error.code).toBe(70);
    const bad = await (await fetch(`${url}/rest/getTranscodeStream?${q({ mediaId: longId, mediaType: "song", transcodeParams: "flac-99999", f: "json" })}`)).json();
    expect(bad["subsonic-response"].error.code).toBe(0);
    const ext = await (await fetch(`${url}/rest/getOpenSubsonicExtensions?f=json`)).json();
    expect(ext["subsonic-response"].openSubsonicExtensions).toContainEqual({ name: "transcoding", versions: [1] });
  });
});

describe("the transcode cache and ffmpeg processes", () => {
  beforeEach(idle);
  it("serves a repeated request from the cache: identical bytes, no new ffmpeg, byte ranges", async () => {
    const exit = nextEvent<{ end: string }>("exit");
    const first = await bytesOf(await fetch(streamUrl({ id: longId, format: "opus", maxBitRate: "80" })));
    expect((await exit).end).toBe("done");
    const spawned = transcoder().spawned;
    const again = await fetch(streamUrl({ id: longId, format: "opus", maxBitRate: "80" }));
    expect(again.headers.get("accept-ranges")).toBe("bytes");
    expect(await bytesOf(again)).toEqual(first);
    expect(transcoder().spawned).toBe(spawned);
    const part = await fetch(streamUrl({ id: longId, format: "opus", maxBitRate: "80" }), { headers: { Range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(await bytesOf(part)).toEqual(first.subarray(10, 20));
    expect(transcoder().cache!.size).toBeGreaterThanOrEqual(first.length);
    expect(transcoder().cache!.folder).toBe(cacheFolder);
  });

  it("runs one ffmpeg for concurrent identical requests, and both get the whole output", async () => {
    const spawned = transcoder().spawned;
    const exit = nextEvent<{ end: string }>("exit");
    const a = await fetch(streamUrl({ id: shortId, format: "aac", maxBitRate: "64" }));
    // A has its first bytes, so its (slow, -re) job is running: B joins it.
    const b = await fetch(streamUrl({ id: shortId, format: "aac", maxBitRate: "64" }));
    const [ba, bb] = await Promise.all([bytesOf(a), bytesOf(b)]);
    expect(transcoder().spawned).toBe(spawned + 1);
    expect(bb).toEqual(ba);
    expect((await exit).end).toBe("done");
    expect(probe(ba).codec).toBe("aac");
  });

  it("kills ffmpeg when its only client disconnects, and keeps nothing in the cache", async () => {
    const spawn = nextEvent<number>("spawn");
    const exit = nextEvent<{ end: string }>("exit");
    const before = transcoder().cache!.count;
    const u = new URL(streamUrl({ id: longId, format: "aac", maxBitRate: "48" }));
    await new Promise<void>((resolve) => {
      const req = httpRequest(u, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.end();
    });
    const pid = await spawn;
    expect((await exit).end).toBe("killed");
    expect(() => process.kill(pid, 0)).toThrow(); // the process is gone
    expect(transcoder().cache!.count).toBe(before);
    expect(transcoder().inFlight).toBe(0);
  });
});
