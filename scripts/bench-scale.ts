/**
 * `npm run bench -- --scale [--tracks 100000] [--readers N] [--write-docs]`: the scanner at
 * scale (issue #18), on generated libraries of tracks/10, 3·tracks/10 and `tracks` tracks
 * (lib/testing/big-library.ts, cached under ~/.cache/tessitura/big-library/<n>).
 *
 * Each size runs in its own child process (a fresh database and a clean peak RSS):
 *   - tags only: the scanner's tag readers (same workers, same batches) over every file, no
 *     database: the floor a scan cannot go below. Run before and after the scan, best kept,
 *     so neither a cold page cache nor a noisy moment lands on one side only;
 *   - full scan into an empty database; peak RSS of the whole process (workers included)
 *     sampled while it runs;
 *   - unchanged rescan.
 * Figures print as ratios (full scan / tags only ≤ 1.5×; rescan / full scan ≤ 0.05×; peak
 * RSS at the largest size / at the smallest, which says whether memory stays flat), and the
 * chart of scan time against library size goes to build/bench/perf-scale.svg (docs/ with
 * `--write-docs`). Other scale figures (API latency by size) can join the chart through
 * `ScaleSeries` in build/bench/scale.json.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** One library size's measurements (ms, MiB). */
export interface ScalePoint {
  tracks: number;
  albums: number;
  artists: number;
  readers: number;
  tagsMs: number;
  scanMs: number;
  rescanMs: number;
  /** CPU time of the whole process (all threads), less sensitive than wall time to other load on the machine. */
  tagsCpuMs: number;
  scanCpuMs: number;
  peakRssMiB: number;
  errors: number;
}

/** A line of the scale chart: a value per library size (scan seconds, API p95 ms, …). */
export interface ScaleSeries {
  name: string;
  /** Panel the series is drawn in; series with the same unit share one. */
  unit: string;
  points: { tracks: number; value: number }[];
}

/** What scaleFigures prints through (bench.ts's row printer). */
export type PrintRow = (r: { figure: string; ours: number; baseline: number; unit: string; ratio: number; target: string; met: boolean }) => void;

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/** Runs the scale figures (parent side): one child per size, rows printed, chart and JSON written. */
export async function scaleFigures(opts: { print: PrintRow; writeDocs: boolean }): Promise<{ points: ScalePoint[]; series: ScaleSeries[] }> {
  const largest = Number(arg("tracks") ?? 100_000);
  const readers = arg("readers");
  const sizes = [...new Set([Math.round(largest / 10), Math.round((largest * 3) / 10), largest])].filter((n) => n > 0);
  const points: ScalePoint[] = [];
  for (const n of sizes) {
    const t0 = performance.now();
    console.log(`\nscale: ${n} tracks …`);
    const out = execFileSync(process.execPath, ["--no-warnings", path.join(root, "scripts/run-ts.mjs"), path.join(root, "scripts/bench-scale.ts"), "--point", String(n), ...(readers ? ["--readers", readers] : [])], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    });
    const p = JSON.parse(out.trim().split("\n").pop()!) as ScalePoint;
    points.push(p);
    console.log(
      `  ${p.tracks} tracks (${p.albums} albums, ${p.artists} artists, ${p.readers} tag workers): tags ${(p.tagsMs / 1000).toFixed(1)} s, full scan ${(p.scanMs / 1000).toFixed(1)} s (${Math.round(p.tracks / (p.scanMs / 1000))} tracks/s), rescan ${(p.rescanMs / 1000).toFixed(2)} s, CPU tags ${(p.tagsCpuMs / 1000).toFixed(1)} s / scan ${(p.scanCpuMs / 1000).toFixed(1)} s, peak RSS ${p.peakRssMiB.toFixed(0)} MiB, ${p.errors} errors — ${((performance.now() - t0) / 1000).toFixed(0)} s in all`,
    );
  }
  const big = points[points.length - 1];
  const small = points[0];
  const scanRatio = big.scanMs / big.tagsMs;
  const rescanRatio = big.rescanMs / big.scanMs;
  opts.print({ figure: `S1. full scan of ${big.tracks} tracks vs reading their tags only (same workers)`, ours: big.scanMs, baseline: big.tagsMs, unit: "ms", ratio: scanRatio, target: "≤ 1.5×", met: scanRatio <= 1.5 && big.errors === 0 });
  opts.print({ figure: `S1b. CPU time (all threads) of that full scan vs of reading the tags only`, ours: big.scanCpuMs, baseline: big.tagsCpuMs, unit: "ms", ratio: big.scanCpuMs / big.tagsCpuMs, target: "report", met: true });
  opts.print({ figure: `S2. unchanged rescan of ${big.tracks} tracks vs full scan`, ours: big.rescanMs, baseline: big.scanMs, unit: "ms", ratio: rescanRatio, target: "≤ 0.05×", met: rescanRatio <= 0.05 });
  opts.print({ figure: `S3. peak RSS during the ${big.tracks}-track scan vs the ${small.tracks}-track scan`, ours: big.peakRssMiB, baseline: small.peakRssMiB, unit: "MiB", ratio: big.peakRssMiB / small.peakRssMiB, target: "report", met: true });

  const series: ScaleSeries[] = [
    { name: "full scan", unit: "s", points: points.map((p) => ({ tracks: p.tracks, value: p.scanMs / 1000 })) },
    { name: "tags only", unit: "s", points: points.map((p) => ({ tracks: p.tracks, value: p.tagsMs / 1000 })) },
    { name: "unchanged rescan", unit: "s", points: points.map((p) => ({ tracks: p.tracks, value: p.rescanMs / 1000 })) },
  ];
  const outDir = path.join(root, "build", "bench");
  mkdirSync(outDir, { recursive: true });
  // Series other benches added to scale.json (API latency by size) are kept and charted too.
  let extra: ScaleSeries[] = [];
  try {
    extra = (JSON.parse(readFileSync(path.join(outDir, "scale.json"), "utf8")) as { series?: ScaleSeries[] }).series?.filter((s) => s.unit !== "s") ?? [];
  } catch {
    // first run
  }
  const all = [...series, ...extra];
  writeFileSync(path.join(outDir, "scale.json"), JSON.stringify({ at: new Date().toISOString(), node: process.version, points, series: all }, null, 2));
  writeFileSync(path.join(outDir, "perf-scale.svg"), scaleChart(all));
  if (opts.writeDocs) writeFileSync(path.join(root, "docs", "perf-scale.svg"), scaleChart(all));
  console.log("\nscale results: build/bench/scale.json, chart: build/bench/perf-scale.svg");
  return { points, series: all };
}

const COLOURS = ["#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#c62828", "#00838f"];

/** Line charts of each unit's series against library size (one panel per unit), library sizes on a linear axis. */
export function scaleChart(series: ScaleSeries[]): string {
  const units = [...new Set(series.map((s) => s.unit))];
  const w = 760;
  const panelH = 240;
  const left = 70;
  const right = 190;
  const top = 40;
  const sizes = [...new Set(series.flatMap((s) => s.points.map((p) => p.tracks)))].sort((a, b) => a - b);
  const maxX = Math.max(1, ...sizes);
  const x = (t: number) => left + ((w - left - right) * t) / maxX;
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const panels = units.map((unit, pi) => {
    const y0 = top + pi * (panelH + 40);
    const inPanel = series.filter((s) => s.unit === unit);
    const maxY = Math.max(1e-9, ...inPanel.flatMap((s) => s.points.map((p) => p.value))) * 1.1;
    const y = (v: number) => y0 + panelH - (panelH * v) / maxY;
    const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * maxY);
    const grid = ticks
      .map((v) => `<line x1="${left}" x2="${w - right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${v >= 10 ? v.toFixed(0) : v.toFixed(1)}</text>`)
      .join("\n");
    const xticks = sizes.map((t) => `<line x1="${x(t)}" x2="${x(t)}" y1="${y0 + panelH}" y2="${y0 + panelH + 4}" stroke="#000"/><text x="${x(t)}" y="${y0 + panelH + 16}" text-anchor="middle" font-size="11">${t >= 1000 ? `${t / 1000}k` : t}</text>`).join("\n");
    const lines = inPanel
      .map((s, i) => {
        const c = COLOURS[series.indexOf(s) % COLOURS.length];
        const pts = [...s.points].sort((a, b) => a.tracks - b.tracks);
        const d = pts.map((p, k) => `${k ? "L" : "M"}${x(p.tracks).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
        const dots = pts.map((p) => `<circle cx="${x(p.tracks).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3" fill="${c}"/>`).join("");
        const last = pts[pts.length - 1];
        const label = last ? `<text x="${w - right + 8}" y="${y0 + 14 + i * 16}" font-size="12" fill="${c}">${esc(s.name)} (${last.value >= 10 ? last.value.toFixed(0) : last.value.toFixed(2)}${unit.length <= 4 ? ` ${esc(unit)}` : ""})</text>` : "";
        return `<path d="${d}" fill="none" stroke="${c}" stroke-width="2"/>${dots}${label}`;
      })
      .join("\n");
    return `<text x="${left}" y="${y0 - 8}" font-size="12" font-weight="bold">${unit === "s" ? "Scan time (s) by library size (tracks)" : esc(`${unit} by library size (tracks)`)}</text>
<line x1="${left}" x2="${left}" y1="${y0}" y2="${y0 + panelH}" stroke="#000"/><line x1="${left}" x2="${w - right}" y1="${y0 + panelH}" y2="${y0 + panelH}" stroke="#000"/>
${grid}
${xticks}
${lines}`;
  });
  const h = top + units.length * (panelH + 40);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">
<text x="10" y="18" font-size="13" font-weight="bold">Scale: generated libraries, this machine (npm run bench -- --scale)</text>
${panels.join("\n")}
</svg>
`;
}

// ---- child side: one library size

async function measurePoint(tracks: number, readers: number | undefined): Promise<ScalePoint> {
  const { ensureBigLibrary, bigLibraryFolder } = await import("../lib/testing/big-library");
  const { TagReader } = await import("../lib/scanner/tag-pool");
  const { AUDIO_EXTENSIONS } = await import("../lib/scanner/tags");
  const { boot, shutdown } = await import("../lib/server/boot");
  const { scanStatus, startScan } = await import("../lib/scanner/scanner");

  const music = bigLibraryFolder(tracks);
  const lib = await ensureBigLibrary(music, { tracks });
  if (lib.generated) console.error(`  generated in ${(lib.ms / 1000).toFixed(1)} s (cached for next runs)`);

  // Tags only: the same readers and batches the scan uses (each file stat'ed and read), fed by a plain walk.
  const tagsOnly = async () => {
    const reader = new TagReader({ workers: readers });
    const t = performance.now();
    const cpu = process.cpuUsage();
    const inflight = new Set<Promise<unknown>>();
    let batch: { rel: string }[] = [];
    const send = async () => {
      const p: Promise<unknown> = reader.scan(music, batch, true).finally(() => inflight.delete(p));
      batch = [];
      inflight.add(p);
      if (inflight.size >= reader.workers * 4) await Promise.race(inflight);
    };
    const stack = [""];
    while (stack.length) {
      const dir = stack.pop()!;
      for (const e of readdirSync(path.join(music, dir), { withFileTypes: true })) {
        if (e.name.startsWith(".")) continue;
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (e.isDirectory()) stack.push(rel);
        else if (AUDIO_EXTENSIONS.has(path.extname(e.name).slice(1).toLowerCase())) {
          batch.push({ rel });
          if (batch.length >= 128) await send();
        }
      }
    }
    if (batch.length) await send();
    await Promise.all(inflight);
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    await reader.close();
    return { ms, cpuMs: (used.user + used.system) / 1000, workers: reader.workers };
  };

  const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-scale-"));
  try {
    await boot({ ND_DATAFOLDER: dataFolder, ND_MUSICFOLDER: music, ND_SCANNER_SCANONSTARTUP: "false", ND_PLUGINS_ENABLED: "false", ND_DEVAUTOCREATEADMINPASSWORD: "bench-pass", ND_LOGLEVEL: "error" });
    const tags1 = await tagsOnly();
    let peak = process.memoryUsage.rss();
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
    let t = performance.now();
    const cpu = process.cpuUsage();
    await startScan({ full: true, readers });
    const scanMs = performance.now() - t;
    const scanCpu = process.cpuUsage(cpu);
    clearInterval(sampler);
    const errors = scanStatus().errors.length;
    t = performance.now();
    await startScan({ readers });
    const rescanMs = performance.now() - t;
    const tags2 = await tagsOnly();
    await shutdown();
    return {
      tracks, albums: lib.albums, artists: lib.artists, readers: tags1.workers, tagsMs: Math.min(tags1.ms, tags2.ms), scanMs, rescanMs,
      tagsCpuMs: Math.min(tags1.cpuMs, tags2.cpuMs), scanCpuMs: (scanCpu.user + scanCpu.system) / 1000, peakRssMiB: peak / 1048576, errors,
    };
  } finally {
    rmSync(dataFolder, { recursive: true, force: true });
  }
}

if (process.argv.includes("--point")) {
  // WebAssembly compiles (Prisma's query compiler) do not keep the event loop alive on their own.
  const keepAlive = setInterval(() => {}, 60_000);
  const r = await measurePoint(Number(arg("point")), arg("readers") ? Number(arg("readers")) : undefined);
  clearInterval(keepAlive);
  console.log(JSON.stringify(r));
  process.exit(0);
}
