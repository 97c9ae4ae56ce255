import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "../db/client";
import { writeGeneratedLibrary } from "../media/demo-library";
import { pluginManager } from "../plugins";
import { startScan } from "../scanner/scanner";
import { handleSubsonic } from "../subsonic/dispatch";
import { bootTestServer } from "../testing/boot-test-server";
import { serveHandler } from "../testing/serve-handler";

// Load (issue #9 item 5): many Subsonic clients browse, search, stream, fetch covers and ask
// plugin-backed info at once on 127.0.0.1, while plugins run scheduled and queued work. Bounded
// in time; zero errors required; the figures go to build/security/load.json for docs/security.md.
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 24);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 12);
const built = path.join(import.meta.dirname, "../../build/plugins");

let url = "";
let close: () => Promise<void>;
let songs: string[] = [];
let albums: string[] = [];
let artists: string[] = [];

beforeAll(async () => {
  const plugins = mkdtempSync(path.join(tmpdir(), "tessitura-load-plugins-"));
  for (const n of ["test-library-agent", "test-scheduler", "test-taskqueue"]) copyFileSync(path.join(built, `${n}.ndp`), path.join(plugins, `${n}.ndp`));
  const { config } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false", ND_PLUGINS_FOLDER: plugins, ND_AGENTS: "test-library-agent" });
  mkdirSync(config.resolved.musicFolder, { recursive: true });
  writeGeneratedLibrary(config.resolved.musicFolder, { artists: 20, albums: 5, tracks: 10 });
  await startScan();
  const manager = pluginManager()!;
  await manager.saveSettings("test-library-agent", { config: JSON.stringify({ biography: "Load biography", url: "https://example.org" }) });
  await manager.enable("test-library-agent");
  // Background work while clients run: a recurring schedule and a queue kept busy.
  await manager.saveSettings("test-scheduler", { config: JSON.stringify({ init_cron: "@every 1s" }) });
  await manager.enable("test-scheduler");
  await manager.saveSettings("test-taskqueue", { config: JSON.stringify({ quiet: "true", init_queue: "load", init_queue_config: JSON.stringify({ concurrency: 2 }) }) });
  await manager.enable("test-taskqueue");
  [songs, albums, artists] = await Promise.all([
    db().mediaFile.findMany({ select: { id: true } }).then((r) => r.map((x) => x.id)),
    db().album.findMany({ select: { id: true } }).then((r) => r.map((x) => x.id)),
    db().artist.findMany({ select: { id: true } }).then((r) => r.map((x) => x.id)),
  ]);
  ({ url, close } = await serveHandler(handleSubsonic));
}, 120_000);

afterAll(() => close());

const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];

it(`serves ${CLIENTS} concurrent clients for ${SECONDS} s without errors`, async () => {
  const manager = pluginManager()!;
  const auth = new URLSearchParams({ u: "admin", p: "admin-pass", v: "1.16.1", c: "load", f: "json" });
  const actions: [string, () => string, RequestInit?][] = [
    ["getArtists", () => ""],
    ["getArtist", () => `id=${pick(artists)}`],
    ["getAlbum", () => `id=${pick(albums)}`],
    ["getAlbumList2", () => `type=${pick(["random", "newest", "alphabeticalByName"])}&size=20`],
    ["search3", () => `query=${pick(["Track", "Album 3", "Artist 1", ""])}`],
    ["getArtistInfo2", () => `id=${pick(artists)}`],
    ["getCoverArt", () => `id=al-${pick(albums)}&size=64`],
    ["stream", () => `id=${pick(songs)}`, { headers: { Range: "bytes=0-1023" } }],
    ["scrobble", () => `id=${pick(songs)}&submission=true`],
  ];
  const latencies: number[] = [];
  const errors: string[] = [];
  const perMethod = new Map<string, number>();
  const end = Date.now() + SECONDS * 1000;
  // Keep the task queue busy for the whole run.
  const feeder = (async () => {
    while (Date.now() < end) {
      await manager.call("test-taskqueue", "nd_test_taskqueue", { fn: "task_enqueue", request: JSON.stringify({ queueName: "load", payload: Buffer.from("work").toString("base64") }) }).catch((e: Error) => errors.push(`enqueue: ${e.message}`));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < end) {
        const [method, params, init] = pick(actions);
        const t = performance.now();
        try {
          const res = await fetch(`${url}/rest/${method}?${auth}&${params()}`, init);
          const body = new Uint8Array(await res.arrayBuffer());
          if (res.status >= 400 && !(method === "stream" && res.status === 416)) errors.push(`${method}: HTTP ${res.status}`);
          else if ((res.headers.get("content-type") ?? "").startsWith("application/json")) {
            const json = JSON.parse(new TextDecoder().decode(body))["subsonic-response"];
            if (json.status !== "ok") errors.push(`${method}: ${JSON.stringify(json.error)}`);
          }
        } catch (err) {
          errors.push(`${method}: ${(err as Error).message}`);
        }
        latencies.push(performance.now() - t);
        perMethod.set(method, (perMethod.get(method) ?? 0) + 1);
      }
    }),
  );
  await feeder;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Number(latencies[Math.floor(latencies.length * p)].toFixed(1));
  const report = {
    at: new Date().toISOString(),
    clients: CLIENTS,
    seconds: SECONDS,
    requests: latencies.length,
    errors: errors.length,
    requestsPerSecond: Math.round(latencies.length / SECONDS),
    p50ms: q(0.5),
    p95ms: q(0.95),
    p99ms: q(0.99),
    perMethod: Object.fromEntries(perMethod),
    background: { schedules: manager.loadedPlugin("test-scheduler") ? "running" : "not loaded", taskQueue: "fed every 50 ms" },
  };
  const out = path.join(import.meta.dirname, "../../build/security");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "load.json"), JSON.stringify(report, null, 2));
  console.log(`load: ${report.requests} requests, ${report.errors} errors, ${report.requestsPerSecond} req/s, p50 ${report.p50ms} ms, p99 ${report.p99ms} ms`);
  expect(errors.slice(0, 5)).toEqual([]);
  expect(report.requests).toBeGreaterThan(CLIENTS * SECONDS);
});
