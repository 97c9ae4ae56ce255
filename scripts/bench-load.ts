/**
 * `npm run bench -- --load [--tracks 100000] [--seconds 3] [--write-docs]`: the Subsonic API
 * under load (issue #18, point 4), on generated libraries of tracks/10, 3·tracks/10 and
 * `tracks` tracks (lib/testing/big-library.ts, cached under ~/.cache/tessitura/big-library/<n>).
 *
 * Each size runs a server in its own child process (fresh database, full scan, then
 * listening on 127.0.0.1): one node:http server that stamps the peer address as
 * scripts/server.mjs does and hands `/rest/*` to the production route handler
 * (app/rest/[...method]/route.ts) and `/health` to the trivial one
 * (app/health/route.ts), both through the fast path's bridge (lib/http/fast-path.ts), so
 * both pay the same HTTP and Request/Response costs as the Subsonic API under `npm start`. Next.js
 * is not in that loop (it would need a `next build` per size); L1 runs on the production
 * server instead. This process is the client: keep-alive node:http requests, `t`+`s`
 * token authentication with a salt per request (from a pool), `f=json`.
 *
 * Figures:
 *   L1. authenticated `ping` vs `/health` at 16 concurrent clients, requests/s, on the
 *       production server (scripts/bench-production-server.ts: `next build` +
 *       scripts/server.mjs, what `npm start` runs), seven rounds in alternating order, the
 *       median round's ratio, target ≥ 0.8×; the server's CPU time per request (from /proc)
 *       is printed beside it, a steadier reading on a busy machine. There the Subsonic API is
 *       answered on the fast path (lib/http/fast-path.ts) and `/health` by Next.js: the
 *       issue's measure, an authenticated call against a trivial answer of the framework;
 *   L1b. the same on the bare server above, both route handlers on one pipeline without
 *       Next.js, reported: what our authentication and dispatch cost over a constant handler;
 *   L2-L5. `getAlbumList2`, `getArtists`, `search3`, `getArtist` on the largest library: p95
 *       one at a time against the 25 ms budget (ratio p95 / 25 ms, target ≤ 1×), and no
 *       error at 32 concurrent clients.
 * Every endpoint's requests/s and p50/p95/p99 at 1, 16 and 32 clients is printed per size;
 * p95 by size joins the scale chart (build/bench/scale.json, perf-scale.svg).
 *
 * The load-generation helpers are shared with `--peer` (scripts/bench-peer.ts).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { processCpuMs, stopChild } from "./bench-children";
import { startProductionServer } from "./bench-production-server";
import { scaleChart, type PrintRow, type ScaleSeries } from "./bench-scale";

const root = path.resolve(import.meta.dirname, "..");

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

// ---- the client side

/** Throughput and latency (ms) of one load run. */
export interface LoadStats {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** The first error seen, for the report. */
  firstError?: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
}

/** One GET; resolves with the status and body. A Subsonic "failed" document counts as an error. */
function get(agent: Agent, url: string): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        // Error documents are small; big bodies are answers (no need to scan megabytes).
        const head = body.length < 4096 ? body.toString("utf8") : "";
        const failed = res.statusCode !== 200 || /"status"\s*:\s*"failed"/.test(head);
        resolve({ ok: !failed, detail: failed ? `HTTP ${res.statusCode} ${head.slice(0, 200)}` : "" });
      });
      res.on("error", (e) => resolve({ ok: false, detail: String(e) }));
    });
    req.on("error", (e) => resolve({ ok: false, detail: String(e) }));
    req.end();
  });
}

/**
 * Runs `concurrency` clients, each sending the next request as soon as its last one ended,
 * until `maxRequests` were sent or `seconds` passed; `next(i)` gives the i-th URL.
 */
export async function runLoad(next: (i: number) => string, opts: { concurrency: number; seconds: number; maxRequests?: number; warmup?: number }): Promise<LoadStats> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  try {
    for (let i = 0; i < (opts.warmup ?? Math.max(10, opts.concurrency)); i++) await get(agent, next(i));
    const samples: number[] = [];
    let errors = 0;
    let firstError: string | undefined;
    let sent = 0;
    const max = opts.maxRequests ?? Infinity;
    const t0 = performance.now();
    const end = t0 + opts.seconds * 1000;
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (sent < max && performance.now() < end) {
          const url = next(sent++);
          const t = performance.now();
          const r = await get(agent, url);
          samples.push(performance.now() - t);
          if (!r.ok) {
            errors++;
            firstError ??= r.detail;
          }
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    samples.sort((a, b) => a - b);
    return { requests: samples.length, errors, rps: samples.length / elapsed, p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), p99: percentile(samples, 0.99), firstError };
  } finally {
    agent.destroy();
  }
}

/** `u`, `t`, `s` for the i-th request: a salt per request (from a pool), as careful clients send. */
export function tokenAuth(user: string, password: string): (i: number) => string {
  const pool = Array.from({ length: 64 }, (_, k) => {
    const s = createHash("sha1").update(`salt-${k}`).digest("hex").slice(0, 12);
    return `u=${encodeURIComponent(user)}&t=${createHash("md5").update(password + s).digest("hex")}&s=${s}`;
  });
  return (i) => pool[i % pool.length];
}

/** A Subsonic endpoint to load: its name and the i-th request's path + query (authentication appended). */
export interface Endpoint {
  name: string;
  query: (i: number) => string;
}

/** The endpoints of the issue, with ids and search terms read from the server itself (so ours and a peer each get their own ids). */
export async function apiEndpoints(baseUrl: string, auth: (i: number) => string): Promise<Endpoint[]> {
  const common = "v=1.16.1&c=bench&f=json";
  const fetchJson = async (q: string) => {
    const r = await fetch(`${baseUrl}/rest/${q}&${auth(0)}&${common}`);
    const doc = ((await r.json()) as Record<string, Record<string, unknown>>)["subsonic-response"];
    if (doc.status !== "ok") throw new Error(`${q}: ${JSON.stringify(doc.error)}`);
    return doc;
  };
  const artistsDoc = (await fetchJson("getArtists.view?")) as { artists: { index?: { artist?: { id: string; name: string }[] }[] } };
  const artists = (artistsDoc.artists.index ?? []).flatMap((ix) => ix.artist ?? []);
  if (!artists.length) throw new Error("the server lists no artists: was the library scanned?");
  // A spread sample, the same positions on every server (both sort artists by name).
  const sample = <T>(xs: T[], n: number) => Array.from({ length: Math.min(n, xs.length) }, (_, k) => xs[Math.floor((k * xs.length) / Math.min(n, xs.length))]);
  const artistIds = sample(artists, 200).map((a) => a.id);
  const albumsDoc = (await fetchJson("getAlbumList2.view?type=alphabeticalByName&size=500")) as { albumList2: { album?: { name: string }[] } };
  const words = [...artists.map((a) => a.name), ...(albumsDoc.albumList2.album ?? []).map((a) => a.name)]
    .flatMap((n) => n.split(/\s+/))
    .filter((w) => /^\p{L}{4,}$/u.test(w));
  const terms = sample([...new Set(words)], 100);
  if (!terms.length) throw new Error("no search terms found");
  const albumCount = Math.max(1, artists.length * 2);
  const types = ["newest", "alphabeticalByName", "random", "alphabeticalByArtist"];
  const q = (path: string) => (i: number) => `${path}${path.includes("?") ? "&" : "?"}${auth(i)}&${common}`;
  return [
    { name: "ping", query: q("ping.view") },
    { name: "getArtists", query: q("getArtists.view") },
    { name: "getArtist", query: (i) => q(`getArtist.view?id=${encodeURIComponent(artistIds[i % artistIds.length])}`)(i) },
    { name: "getAlbumList2", query: (i) => q(`getAlbumList2.view?type=${types[i % types.length]}&size=50&offset=${(Math.floor(i / types.length) * 50) % Math.min(albumCount, 2000)}`)(i) },
    { name: "search3", query: (i) => q(`search3.view?query=${encodeURIComponent(terms[i % terms.length])}`)(i) },
  ];
}

/** Measures each endpoint one at a time and at each concurrency; returns figures by endpoint and clients. */
export async function loadEndpoints(baseUrl: string, endpoints: Endpoint[], opts: { seconds: number; concurrencies: number[]; label: string }): Promise<Record<string, Record<number, LoadStats>>> {
  const out: Record<string, Record<number, LoadStats>> = {};
  for (const e of endpoints) {
    out[e.name] = {};
    for (const c of [1, ...opts.concurrencies]) {
      const s = await runLoad((i) => `${baseUrl}/rest/${e.query(i)}`, { concurrency: c, seconds: opts.seconds, maxRequests: c === 1 ? 400 : undefined });
      out[e.name][c] = s;
      console.log(`  ${opts.label.padEnd(8)} ${e.name.padEnd(14)} ${String(c).padStart(2)} clients: ${fmtLoad(s)}`);
    }
  }
  return out;
}

export const fmtLoad = (s: LoadStats) =>
  `${s.rps.toFixed(0).padStart(5)} req/s  p50 ${s.p50.toFixed(1)}  p95 ${s.p95.toFixed(1)}  p99 ${s.p99.toFixed(1)} ms  (${s.requests} requests${s.errors ? `, ${s.errors} ERRORS: ${s.firstError}` : ""})`;

// ---- our server, in a child process

/** A server child: its URL, the scan time, its CPU time so far (ms; Linux), and how to stop it. */
export interface ServerChild {
  url: string;
  scanMs: number;
  tracks: number;
  cpuMs: () => number | undefined;
  stop: () => Promise<void>;
}

/** Starts our server on the generated library of `tracks` tracks (scanned from empty); resolves once it listens. */
export async function startOurServer(tracks: number): Promise<ServerChild> {
  const child = spawn(process.execPath, ["--no-warnings", path.join(root, "scripts/run-ts.mjs"), path.join(root, "scripts/bench-load.ts"), "--serve", String(tracks)], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = await new Promise<{ url: string; scanMs: number }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (line.startsWith("{")) resolve(JSON.parse(line) as { url: string; scanMs: number });
    });
    child.once("exit", (code) => reject(new Error(`server child exited with ${code} before listening`)));
  });
  return { ...ready, tracks, cpuMs: () => processCpuMs(child.pid!), stop: () => stopChild(child) };
}

async function serve(tracks: number): Promise<void> {
  const { ensureBigLibrary, bigLibraryFolder } = await import("../lib/testing/big-library");
  const { boot, shutdown } = await import("../lib/server/boot");
  const { startScan, scanStatus } = await import("../lib/scanner/scanner");
  const { createPeerServer } = (await import("./server.mjs")) as { createPeerServer: (h: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => Promise<void>) => import("node:http").Server };
  const rest = await import("../app/rest/[...method]/route");
  const health = await import("../app/health/route");

  const music = bigLibraryFolder(tracks);
  const lib = await ensureBigLibrary(music, { tracks });
  if (lib.generated) console.error(`  generated the ${tracks}-track library in ${(lib.ms / 1000).toFixed(1)} s (cached for next runs)`);
  const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-load-"));
  await boot({ ND_DATAFOLDER: dataFolder, ND_MUSICFOLDER: music, ND_SCANNER_SCANONSTARTUP: "false", ND_PLUGINS_ENABLED: "false", ND_DEVAUTOCREATEADMINPASSWORD: "bench-pass", ND_LOGLEVEL: "error" });
  const t = performance.now();
  await startScan({ full: true });
  const scanMs = performance.now() - t;
  if (scanStatus().errors.length) console.error(`  scan errors: ${scanStatus().errors.length}`);

  // What scripts/server.mjs does around the fast path, with `/health` on the same bridge as the API.
  const { serveFetch } = await import("../lib/http/fast-path");
  const server = createPeerServer(async (req, res) => {
    const pathname = (req.url ?? "").split("?")[0];
    if (pathname === "/health") return serveFetch(req, res, health.GET);
    if (pathname.startsWith("/rest/")) return serveFetch(req, res, rest.GET);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as import("node:net").AddressInfo).port;
  const stop = async () => {
    server.close();
    await shutdown();
    rmSync(dataFolder, { recursive: true, force: true });
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, scanMs }));
}

// ---- the figures (parent side)

const BUDGET_MS = 25;
const CHARTED = ["getAlbumList2", "getArtists", "search3", "getArtist"];

/** One L1 round: ping and /health under the same load, requests/s and (where known) the server's CPU time per request. */
interface PingRound {
  ours: LoadStats;
  baseline: LoadStats;
  /** Requests/s, ping / health. */
  ratio: number;
  /** Server CPU µs per request, health / ping (≥ 1 when ping costs no more); undefined without /proc. */
  cpuRatio?: number;
  cpuUs?: { ours: number; baseline: number };
}

/** A server to measure L1 on: its URL and its process's CPU time in ms (undefined where unknown). */
interface PingTarget {
  url: string;
  cpuMs: () => number | undefined;
}

const WARMUP = 16;

/** L1: ping vs the trivial route of the same server, 16 clients; `rounds` rounds, order alternating, the median round by ratio. */
async function pingVsHealth(target: PingTarget, seconds: number, rounds = 7): Promise<PingRound> {
  const auth = tokenAuth("admin", "bench-pass");
  const measure = async (next: (i: number) => string) => {
    const c0 = target.cpuMs();
    const stats = await runLoad(next, { concurrency: 16, seconds, warmup: WARMUP });
    const c1 = target.cpuMs();
    return { stats, cpuUs: c0 === undefined || c1 === undefined ? undefined : ((c1 - c0) * 1000) / (stats.requests + WARMUP) };
  };
  const health = () => measure(() => `${target.url}/health`);
  const ping = () => measure((i) => `${target.url}/rest/ping.view?${auth(i)}&v=1.16.1&c=bench&f=json`);
  const out: PingRound[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternating which goes first, so a drift in the machine's load falls on both sides.
    const [b, o] = r % 2 === 0 ? [await health(), await ping()] : await ping().then(async (o) => [await health(), o]);
    const cpu = b.cpuUs !== undefined && o.cpuUs !== undefined ? { ours: o.cpuUs, baseline: b.cpuUs } : undefined;
    out.push({ ours: o.stats, baseline: b.stats, ratio: o.stats.rps / b.stats.rps, cpuUs: cpu, cpuRatio: cpu && cpu.baseline / cpu.ours });
  }
  out.sort((a, b) => a.ratio - b.ratio);
  return out[out.length >> 1];
}

const describeRound = (l: PingRound) =>
  `req/s: ${l.ours.rps.toFixed(0)} vs ${l.baseline.rps.toFixed(0)}; p50 ${l.ours.p50.toFixed(1)} vs ${l.baseline.p50.toFixed(1)} ms` +
  (l.cpuUs ? `; server CPU per request ${l.cpuUs.ours.toFixed(0)} vs ${l.cpuUs.baseline.toFixed(0)} µs, ratio ${l.cpuRatio!.toFixed(2)}×` : "");

/**
 * L1 on the production server (scripts/server.mjs over `next build`, what `npm start` runs):
 * the issue's measure. The library does not matter to `ping`, so the server gets an empty one.
 */
export async function pingOnProductionServer(seconds: number): Promise<PingRound> {
  const music = mkdtempSync(path.join(tmpdir(), "tessitura-bench-empty-"));
  console.log("\nL1: authenticated ping vs /health on the production server (next build + scripts/server.mjs) …");
  const server = await startProductionServer({ musicFolder: music, adminPassword: "bench-pass" });
  try {
    return await pingVsHealth(server, seconds);
  } finally {
    await server.stop();
    rmSync(music, { recursive: true, force: true });
  }
}

/** Runs the load figures: one server child per size, rows printed, series added to the scale chart. */
export async function loadFigures(opts: { print: PrintRow; writeDocs: boolean }): Promise<void> {
  const largest = Number(arg("tracks") ?? 100_000);
  const seconds = Number(arg("seconds") ?? 3);
  const sizes = [...new Set([Math.round(largest / 10), Math.round((largest * 3) / 10), largest])].filter((n) => n > 0);
  const bySize: { tracks: number; scanMs: number; figures: Record<string, Record<number, LoadStats>> }[] = [];
  let bare: PingRound | undefined;
  for (const n of sizes) {
    const t0 = performance.now();
    console.log(`\nload: ${n} tracks — starting the server (full scan) …`);
    const server = await startOurServer(n);
    try {
      console.log(`  scanned in ${(server.scanMs / 1000).toFixed(1)} s; measuring (${seconds} s per run)`);
      const endpoints = await apiEndpoints(server.url, tokenAuth("admin", "bench-pass"));
      const figures = await loadEndpoints(server.url, endpoints, { seconds, concurrencies: [16, 32], label: `${n / 1000}k` });
      if (n === largest) bare = await pingVsHealth(server, Math.max(1, seconds * 0.7), 5);
      bySize.push({ tracks: n, scanMs: server.scanMs, figures });
    } finally {
      await server.stop();
    }
    console.log(`  ${((performance.now() - t0) / 1000).toFixed(0)} s in all`);
  }
  const big = bySize[bySize.length - 1];
  const l1 = await pingOnProductionServer(seconds);
  opts.print({ figure: `L1. authenticated ping vs a trivial Next.js route (/health) of the production server, 16 clients (${describeRound(l1)})`, ours: l1.ours.rps, baseline: l1.baseline.rps, unit: "req/s", ratio: l1.ratio, target: "≥ 0.8×", met: l1.ratio >= 0.8 && l1.ours.errors === 0 });
  if (bare) {
    opts.print({ figure: `L1b. ping vs /health on one pipeline (both route handlers on a bare node:http server, as the fast path serves ping): what auth and dispatch cost over a constant handler (${describeRound(bare)})`, ours: bare.ours.rps, baseline: bare.baseline.rps, unit: "req/s", ratio: bare.ratio, target: "report", met: true });
  }
  CHARTED.forEach((name, k) => {
    const one = big.figures[name][1];
    const at32 = big.figures[name][32];
    opts.print({
      figure: `L${k + 2}. ${name} on ${big.tracks} tracks: p95 one at a time vs the ${BUDGET_MS} ms budget (p50 ${one.p50.toFixed(1)}, p99 ${one.p99.toFixed(1)} ms; 32 clients: ${at32.rps.toFixed(0)} req/s, ${at32.errors} errors)`,
      ours: one.p95,
      baseline: BUDGET_MS,
      unit: "ms",
      ratio: one.p95 / BUDGET_MS,
      target: "≤ 1× and no error",
      met: one.p95 <= BUDGET_MS && at32.errors === 0 && one.errors === 0,
    });
  });

  const series: ScaleSeries[] = CHARTED.map((name) => ({ name: `${name} p95`, unit: "API latency, one at a time, p95 (ms)", points: bySize.map((s) => ({ tracks: s.tracks, value: s.figures[name][1].p95 })) }));
  const outDir = path.join(root, "build", "bench");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "load.json"), JSON.stringify({ at: new Date().toISOString(), node: process.version, ping: l1, pingBare: bare, sizes: bySize }, null, 2));
  mergeScaleSeries(series, opts.writeDocs);
  console.log("\nload results: build/bench/load.json; latency by size joins build/bench/scale.json and perf-scale.svg");
}

/** Replaces this bench's series in build/bench/scale.json (the scanner's stay) and redraws the scale chart. */
export function mergeScaleSeries(series: ScaleSeries[], writeDocs: boolean): void {
  const file = path.join(root, "build", "bench", "scale.json");
  let doc: { series?: ScaleSeries[] } & Record<string, unknown> = {};
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    // no scan figures yet: the chart shows latency alone
  }
  const units = new Set(series.map((s) => s.unit));
  doc.series = [...(doc.series ?? []).filter((s) => !units.has(s.unit)), ...series];
  writeFileSync(file, JSON.stringify(doc, null, 2));
  const svg = scaleChart(doc.series);
  writeFileSync(path.join(root, "build", "bench", "perf-scale.svg"), svg);
  if (writeDocs) writeFileSync(path.join(root, "docs", "perf-scale.svg"), svg);
}

if (process.argv.includes("--serve")) {
  // WebAssembly compiles (Prisma's query compiler) do not keep the event loop alive on their own.
  setInterval(() => {}, 60_000);
  await serve(Number(arg("serve")));
}
