/**
 * `npm run bench`: the engine's figures from issue #3, each as a ratio against a baseline
 * measured in the same run on the same plugin (this machine is noisy; ratios travel).
 *
 *   1. trivial capability call, full call path vs a bare same-thread Extism 2.x call
 *   2. one synchronous host-function round trip vs the same in same-thread Extism
 *   3. 8 concurrent calls vs one at a time (throughput)
 *   4. loading 20 plugins of ~2 MB: time and resident memory, vs same-thread Extism
 *   5. recovery from a runaway call's timeout to the next successful call
 *   6. reload with the compiled-module cache vs recompiling
 *   7. library scan throughput (10 000 generated tracks)
 *   8. getArtistInfo2 through HTTP with a metadata plugin, cold and warm, vs getArtist
 *  11. time to first byte of a transcoded stream vs the original (scripts/bench-transcode.ts)
 *
 * Results go to build/bench/results.{json,md} and build/bench/perf.svg (`--write-docs` also
 * copies the chart to docs/perf.svg).
 *
 * `--scale [--tracks 100000]` runs only the scanner at scale instead (scripts/bench-scale.ts:
 * generated libraries of tracks/10, 3·tracks/10 and tracks; chart build/bench/perf-scale.svg).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseFile } from "music-metadata";
import createPlugin, { type CallContext } from "@extism/extism";
import { PluginActivity } from "../lib/plugins/activity";
import { callPluginFunction } from "../lib/plugins/call";
import { Engine, type EngineModule, type LoadOptions } from "../lib/plugins/engine";
import type { LoadedPlugin } from "../lib/plugins/loader";
import { backgroundFigures } from "./bench-background";
import { kvstoreFigures } from "./bench-kvstore";
import { loadFigures } from "./bench-load";
import { peerFigures } from "./bench-peer";
import { scaleFigures } from "./bench-scale";
import { transcodeFigures } from "./bench-transcode";
import { writeGeneratedLibrary } from "../lib/media/demo-library";
import { scanStatus, startScan } from "../lib/scanner/scanner";
import { listArtistIds } from "../lib/db/catalog";
import { pluginManager } from "../lib/plugins";
import { boot, shutdown } from "../lib/server/boot";
import { handleSubsonic } from "../lib/subsonic/dispatch";
import { serveHandler } from "../lib/testing/serve-handler";

const root = path.resolve(import.meta.dirname, "..");
const wasm = (name: string) => new Uint8Array(readFileSync(path.join(root, "build/plugins", `${name}.wasm`)));
const quick = process.argv.includes("--quick");
const N = quick ? 2000 : 20000;
const enc = new TextEncoder();
const dec = new TextDecoder();

interface Stats {
  usPerOp: number;
  p50: number;
  p99: number;
}
interface Row {
  figure: string;
  ours: Stats | number;
  baseline: Stats | number;
  unit: string;
  ratio: number;
  target: string;
  met: boolean;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/**
 * Compares two ways of doing the same op: rounds alternate between them so that both see
 * the same machine state (this VM drifts between fast and slow phases), and the figure is
 * the median of the per-round ratios, reported with the stats of that median round.
 */
async function compare(ours: () => unknown, baseline: () => unknown, rounds = 7): Promise<{ ours: Stats; baseline: Stats; ratio: number }> {
  const results: { ours: Stats; baseline: Stats; ratio: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    const b = await measure(baseline, Math.ceil(N / rounds));
    const o = await measure(ours, Math.ceil(N / rounds));
    results.push({ ours: o, baseline: b, ratio: o.usPerOp / b.usPerOp });
  }
  results.sort((a, b) => a.ratio - b.ratio);
  return results[Math.floor(results.length / 2)];
}

/** Times `n` sequential ops (after a warm-up); µs per op over the whole run plus p50/p99 of single ops. */
async function measure(fn: () => unknown | Promise<unknown>, n = N): Promise<Stats> {
  for (let i = 0; i < Math.min(2000, n); i++) await fn();
  const samples = new Array<number>(n);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    samples[i] = (performance.now() - t) * 1000;
  }
  const total = (performance.now() - t0) * 1000;
  samples.sort((a, b) => a - b);
  return { usPerOp: total / n, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
}

function asPlugin(module: EngineModule): LoadedPlugin {
  return { id: module.name, module, activity: new PluginActivity(), inflight: 0 } as unknown as LoadedPlugin;
}

const fmt = (s: Stats | number, unit: string) =>
  typeof s === "number" ? `${s.toFixed(unit === "ms" ? 1 : 2)} ${unit}` : `${s.usPerOp.toFixed(2)} µs/op (p50 ${s.p50.toFixed(1)}, p99 ${s.p99.toFixed(1)})`;

async function main() {
  const rows: Row[] = [];
  const engine = new Engine({});
  const base: LoadOptions = { name: "bench", hostFunctions: {}, config: {}, allowedHosts: [], logLevel: "info", timeoutMs: 30_000, memoryLimitBytes: 256 * 1024 * 1024 };
  const print = (r: Row) => {
    rows.push(r);
    console.log(`\n${r.figure}\n  ours      ${fmt(r.ours, r.unit)}\n  baseline  ${fmt(r.baseline, r.unit)}\n  ratio     ${r.ratio.toFixed(2)}×   target ${r.target}   ${r.met ? "met" : "NOT met"}`);
  };
  // --scale: only the scanner-at-scale figures (scripts/bench-scale.ts), so the usual run stays short.
  if (process.argv.includes("--scale")) {
    await engine.close();
    await scaleFigures({ print, writeDocs: process.argv.includes("--write-docs") });
    return;
  }
  // --load / --peer: the Subsonic API under load, alone and against supysonic (scripts/bench-load.ts, bench-peer.ts).
  if (process.argv.includes("--load") || process.argv.includes("--peer")) {
    await engine.close();
    if (process.argv.includes("--load")) await loadFigures({ print, writeDocs: process.argv.includes("--write-docs") });
    if (process.argv.includes("--peer")) await peerFigures({ print });
    return;
  }
  console.log(`Tessitura engine benchmark — Node ${process.version}, ${N} ops per figure${quick ? " (quick)" : ""}`);

  // 1. Trivial capability call: JSON in, JSON out, through callPluginFunction.
  {
    const input = { id: "ar-1", name: "Bjork", mbid: "" };
    const ext = await createPlugin({ wasm: [{ data: wasm("partial-metadata-agent") }] }, { useWasi: true });
    const plugin = asPlugin(await engine.load(wasm("partial-metadata-agent"), { ...base, name: "partial-metadata-agent" }));
    const r = await compare(
      () => callPluginFunction(plugin, "nd_get_artist_biography", input),
      async () => JSON.parse((await ext.call("nd_get_artist_biography", JSON.stringify(input)))!.text()),
    );
    await ext.close();
    print({ figure: "1. trivial capability call (nd_get_artist_biography)", ...r, unit: "µs", target: "≤ 2×", met: r.ratio <= 2 });
  }

  // 2. One synchronous host-function round trip (a cache-like service).
  {
    const reply = '{"value":"v","exists":true}';
    const ext = await createPlugin({ wasm: [{ data: wasm("test-state") }] }, {
      useWasi: true,
      functions: { "extism:host/user": { cache_getstring: (ctx: CallContext, _off: bigint) => ctx.store(reply) } },
    });
    const replyBytes = enc.encode(reply);
    const plugin = asPlugin(await engine.load(wasm("test-state"), { ...base, name: "test-state", hostFunctions: { cache_getstring: () => replyBytes } }));
    const r = await compare(
      () => callPluginFunction(plugin, "nd_cache_roundtrip", {}),
      async () => JSON.parse((await ext.call("nd_cache_roundtrip", "{}"))!.text()),
    );
    await ext.close();
    print({ figure: "2. call with one synchronous host-function round trip", ...r, unit: "µs", target: "≤ 2×", met: r.ratio <= 2 });
  }

  // 3. Throughput: 8 concurrent calls vs one at a time, on a CPU-bound export.
  {
    const plugin = asPlugin(await engine.load(wasm("test-state"), { ...base, name: "test-state-burn", hostFunctions: { cache_getstring: () => enc.encode("{}") } }));
    const input = { rounds: 400000 };
    const calls = quick ? 64 : 400;
    for (let i = 0; i < 16; i++) await callPluginFunction(plugin, "nd_burn", input);
    await Promise.all(Array.from({ length: 8 }, () => callPluginFunction(plugin, "nd_burn", input))); // start the workers
    let t = performance.now();
    for (let i = 0; i < calls; i++) await callPluginFunction(plugin, "nd_burn", input);
    const sequential = calls / ((performance.now() - t) / 1000);
    t = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < calls) {
          next++;
          await callPluginFunction(plugin, "nd_burn", input);
        }
      }),
    );
    const concurrent = calls / ((performance.now() - t) / 1000);
    print({ figure: `3. throughput, 8 concurrent calls vs one at a time (CPU-bound call, ${engine.workerCount} workers)`, ours: concurrent, baseline: sequential, unit: "calls/s", ratio: concurrent / sequential, target: "≥ 1.7×", met: concurrent / sequential >= 1.7 });
  }

  // 4. Loading 20 plugins of ~2 MB (each made distinct, so V8's compile cache cannot share them).
  {
    const big = wasm("big-plugin");
    const variant = (i: number) => {
      const tag = enc.encode(`variant-${i}`);
      const custom = new Uint8Array([0, tag.length + 5, 4, ...enc.encode("tess"), ...tag]);
      const out = new Uint8Array(big.length + custom.length);
      out.set(big);
      out.set(custom, big.length);
      return out;
    };
    const gc = (globalThis as { gc?: () => void }).gc;
    const settle = async () => {
      gc?.();
      await new Promise((r) => setTimeout(r, 200));
      gc?.();
      return process.memoryUsage().rss;
    };
    let before = await settle();
    let t = performance.now();
    const exts = [];
    for (let i = 0; i < 20; i++) exts.push(await createPlugin({ wasm: [{ data: variant(100 + i) }] }, { useWasi: true }));
    for (const e of exts) await e.call("nd_noop", "");
    const baseMs = performance.now() - t;
    const baseRss = (await settle()) - before;
    for (const e of exts) await e.close();
    exts.length = 0;

    before = await settle();
    t = performance.now();
    const mods: EngineModule[] = [];
    for (let i = 0; i < 20; i++) mods.push(await engine.load(variant(i), { ...base, name: `big-${i}` }));
    for (const m of mods) await m.call("nd_noop", new Uint8Array());
    const ourMs = performance.now() - t;
    const ourRss = (await settle()) - before;
    print({ figure: "4a. load and first call of 20 plugins of ~2 MB (sequential)", ours: ourMs, baseline: baseMs, unit: "ms", ratio: ourMs / baseMs, target: "report", met: true });
    print({ figure: "4b. resident memory added by those 20 plugins, idle (whole process, MiB)", ours: ourRss / 1048576, baseline: baseRss / 1048576, unit: "MiB", ratio: ourRss / Math.max(1, baseRss), target: "report", met: true });
    console.log(`  per plugin idle: ours ${(ourRss / 20 / 1048576).toFixed(2)} MiB, same-thread Extism ${(baseRss / 20 / 1048576).toFixed(2)} MiB`);
    for (const m of mods) await m.close();
  }

  // 5. Recovery: a runaway call times out; how long until the next call of that plugin succeeds.
  {
    const mod = await engine.load(wasm("test-state"), { ...base, name: "test-state-spin", timeoutMs: 50, hostFunctions: { cache_getstring: () => enc.encode("{}") } });
    const samples: number[] = [];
    for (let i = 0; i < (quick ? 3 : 10); i++) {
      await mod.call("nd_spin", new Uint8Array()).catch(() => undefined);
      const t = performance.now();
      await mod.call("nd_noop", new Uint8Array());
      samples.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 60)); // let the spare worker boot, as between real incidents
    }
    samples.sort((a, b) => a - b);
    const p50 = percentile(samples, 0.5);
    const max = samples[samples.length - 1];
    print({ figure: `5. recovery: timeout → next successful call (p50, max ${max.toFixed(1)} ms)`, ours: p50, baseline: 100, unit: "ms", ratio: p50 / 100, target: "< 100 ms", met: max < 100 });
  }

  // 6. Reload (what a config save does): load + first call of a ~2 MB plugin whose compiled
  //    module is in the cache (Plugins.CacheSize) vs compiling it again.
  {
    const big = wasm("big-plugin");
    const cached = new Engine({ workers: 2, compileCacheBytes: 200_000_000 });
    const uncached = new Engine({ workers: 2, compileCacheBytes: 0 });
    const reload = async (e: Engine) => {
      const t = performance.now();
      const m = await e.load(big, { ...base, name: "big", cacheKey: "big" });
      await m.call("nd_noop", new Uint8Array());
      const ms = performance.now() - t;
      await m.close();
      return ms;
    };
    await reload(cached);
    await reload(uncached);
    const hit: number[] = [];
    const miss: number[] = [];
    for (let i = 0; i < (quick ? 3 : 10); i++) {
      hit.push(await reload(cached));
      miss.push(await reload(uncached));
    }
    hit.sort((a, b) => a - b);
    miss.sort((a, b) => a - b);
    const h = percentile(hit, 0.5);
    const m = percentile(miss, 0.5);
    print({ figure: "6. reload of a ~2 MB plugin, compiled-module cache hit vs recompiling (p50)", ours: h, baseline: m, unit: "ms", ratio: h / m, target: "report", met: true });
    await cached.close();
    await uncached.close();
  }

  await engine.close();

  // 7. Library scan: a generated library of tagged files (10 000 tracks; 1 000 with --quick),
  //    full scan into SQLite vs only reading the same files' tags (the parsing floor).
  {
    const shape = quick ? { artists: 10, albums: 10, tracks: 10 } : { artists: 100, albums: 10, tracks: 10 };
    const tracks = shape.artists * shape.albums * shape.tracks;
    const music = path.join(root, "build", "bench", `library-${tracks}`);
    writeGeneratedLibrary(music, shape);
    const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-bench-"));
    const pluginsFolder = path.join(dataFolder, "plugins");
    mkdirSync(pluginsFolder, { recursive: true });
    copyFileSync(path.join(root, "build/plugins/test-library-agent.ndp"), path.join(pluginsFolder, "test-library-agent.ndp"));
    await boot({
      ND_DATAFOLDER: dataFolder,
      ND_MUSICFOLDER: music,
      ND_SCANNER_SCANONSTARTUP: "false",
      ND_PLUGINS_FOLDER: pluginsFolder,
      ND_AGENTS: "test-library-agent",
      ND_DEVAUTOCREATEADMINPASSWORD: "bench-pass",
      ND_LOGLEVEL: "error",
    });
    const files: string[] = [];
    for (const ar of readdirSync(music)) for (const al of readdirSync(path.join(music, ar))) for (const f of readdirSync(path.join(music, ar, al))) if (f.endsWith(".wav")) files.push(path.join(music, ar, al, f));
    let t = performance.now();
    for (let i = 0; i < files.length; i += 16) await Promise.all(files.slice(i, i + 16).map((f) => parseFile(f, { duration: true })));
    const parseMs = performance.now() - t;
    t = performance.now();
    await startScan({ full: true });
    const scanMs = performance.now() - t;
    t = performance.now();
    await startScan();
    const rescanMs = performance.now() - t;
    const status = scanStatus();
    print({ figure: `7a. full scan of ${tracks} tracks into the database (tags only: baseline)`, ours: scanMs, baseline: parseMs, unit: "ms", ratio: scanMs / parseMs, target: "report", met: status.errors.length === 0 });
    console.log(`  ${Math.round(tracks / (scanMs / 1000))} tracks/s; 10 000 tracks would take ${((scanMs / tracks) * 10).toFixed(1)} s`);
    print({ figure: `7b. rescan of the unchanged library vs full scan`, ours: rescanMs, baseline: scanMs, unit: "ms", ratio: rescanMs / scanMs, target: "report", met: true });

    // 8. getArtistInfo2 over HTTP with one metadata plugin: cold (the plugin is asked, the
    //    answer stored) and warm (served from the database), vs getArtist on the same server.
    const manager = pluginManager()!;
    const cfg = { biography: "A biography", url: "https://example.org/a", images: JSON.stringify([{ url: "https://img/l.jpg", size: 500 }]), similarArtists: JSON.stringify([{ name: "Artist 1" }, { name: "Artist 2" }]) };
    await manager.saveSettings("test-library-agent", { config: JSON.stringify(cfg) });
    await manager.enable("test-library-agent");
    const { url, close } = await serveHandler(handleSubsonic);
    const auth = new URLSearchParams({ u: "admin", p: "bench-pass", v: "1.16.1", c: "bench", f: "json" });
    const artists = await listArtistIds();
    const get = async (method: string, id: string) => {
      const r = await (await fetch(`${url}/rest/${method}?${auth}&id=${id}`)).json();
      if (r["subsonic-response"].status !== "ok") throw new Error(JSON.stringify(r));
    };
    let i = 0;
    const plain = await measure(() => get("getArtist", artists[i++ % artists.length]), artists.length * 3);
    const coldSamples: number[] = [];
    for (const id of artists) {
      const t0 = performance.now();
      await get("getArtistInfo2", id);
      coldSamples.push((performance.now() - t0) * 1000);
    }
    coldSamples.sort((a, b) => a - b);
    const cold: Stats = { usPerOp: coldSamples.reduce((a, b) => a + b, 0) / coldSamples.length, p50: percentile(coldSamples, 0.5), p99: percentile(coldSamples, 0.99) };
    i = 0;
    const warm = await measure(() => get("getArtistInfo2", artists[i++ % artists.length]), artists.length * 3);
    print({ figure: `8a. getArtistInfo2 cold (plugin asked, ${artists.length} artists) vs getArtist`, ours: cold, baseline: plain, unit: "µs", ratio: cold.usPerOp / plain.usPerOp, target: "report", met: true });
    print({ figure: "8b. getArtistInfo2 warm (from the database) vs getArtist", ours: warm, baseline: plain, unit: "µs", ratio: warm.usPerOp / plain.usPerOp, target: "report", met: true });
    await close();
    await shutdown();
  }

  // 8–9. Background work: task-queue throughput and scheduler jitter (scripts/bench-background.ts).
  await backgroundFigures({ base, print, quick });

  // ── 10. KVStore ops/s (scripts/bench-kvstore.ts; self-contained: own engine and data folder) ──
  await kvstoreFigures({ base, print, quick });

  // ── 11. Transcoding: time to first byte vs the original (scripts/bench-transcode.ts) ──
  await transcodeFigures({ print, quick });

  const outDir = path.join(root, "build", "bench");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "results.json"), JSON.stringify({ at: new Date().toISOString(), node: process.version, rows }, null, 2));
  writeFileSync(path.join(outDir, "perf.svg"), chart(rows));
  writeFileSync(path.join(outDir, "results.md"), table(rows));
  if (process.argv.includes("--write-docs")) {
    copyFileSync(path.join(outDir, "perf.svg"), path.join(root, "docs", "perf.svg"));
    copyFileSync(path.join(outDir, "results.md"), path.join(root, "docs", "perf-results.md"));
  }
  console.log(`\nresults: build/bench/results.json, chart: build/bench/perf.svg`);
}

/** The figures as a markdown table (docs/perf-results.md with --write-docs). */
function table(rows: Row[]): string {
  const cell = (v: Stats | number, unit: string) => (typeof v === "number" ? `${v.toFixed(unit === "ms" || unit === "MiB" ? 1 : 0)} ${unit}` : `${v.usPerOp.toFixed(1)} µs (p50 ${v.p50.toFixed(1)}, p99 ${v.p99.toFixed(1)})`);
  const lines = [
    `Generated by \`npm run bench -- --write-docs\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}${quick ? ", quick mode" : ""}).`,
    "",
    "| Figure | Tessitura | Baseline | Ratio | Target |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.figure} | ${cell(r.ours, r.unit)} | ${cell(r.baseline, r.unit)} | ${r.ratio.toFixed(2)}× | ${r.target}${r.target === "report" ? "" : r.met ? " ✓" : " ✗"} |`),
    "",
  ];
  return lines.join("\n");
}

/** A horizontal bar chart of the ratios, with each target marked. */
function chart(rows: Row[]): string {
  const w = 760;
  const rowH = 34;
  const left = 330;
  const scaleMax = Math.max(3, ...rows.map((r) => r.ratio)) * 1.1;
  const x = (v: number) => left + ((w - left - 20) * v) / scaleMax;
  const h = 50 + rows.length * rowH;
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const bars = rows
    .map((r, i) => {
      const y = 30 + i * rowH;
      const short = r.figure.replace(/\s*\(.*$/, "").replace(/ vs .*$/, "");
      const label = esc(short.length > 52 ? `${short.slice(0, 51)}…` : short);
      const target = /([0-9.]+)/.exec(r.target);
      const tx = target && r.target !== "report" ? x(r.figure.startsWith("5.") ? 1 : Number(target[1])) : null;
      return `<text x="${left - 8}" y="${y + 16}" text-anchor="end" font-size="12">${label}</text>
<rect x="${left}" y="${y + 4}" width="${Math.max(1, x(r.ratio) - left)}" height="18" fill="${r.met ? "#2e7d32" : "#c62828"}"/>
<text x="${x(r.ratio) + 4}" y="${y + 17}" font-size="11">${r.ratio.toFixed(2)}×</text>
${tx ? `<line x1="${tx}" x2="${tx}" y1="${y}" y2="${y + 26}" stroke="#000" stroke-dasharray="3,2"/>` : ""}`;
    })
    .join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">
<text x="10" y="18" font-size="13" font-weight="bold">Engine figures as ratios to same-run baselines (dashed line: target)</text>
<line x1="${x(1)}" x2="${x(1)}" y1="26" y2="${h - 10}" stroke="#999"/>
${bars}
</svg>
`;
}

await main();
