/**
 * `npm run bench -- --peer [--peer-tracks 2000] [--seconds 2] [--peer-processes N]`: our
 * server against supysonic (Debian's Python Subsonic server) on the same generated library
 * (lib/testing/big-library.ts), in one run (issue #18, point 6).
 *
 * - supysonic and gunicorn are installed with apt when missing and we are root; otherwise the
 *   figures are skipped with a message.
 * - supysonic gets a private config (HOME and the working directory are a temporary folder
 *   holding `supysonic.conf`: SQLite database there, web UI off), a user `admin`, one folder
 *   for the library, `supysonic-cli folder scan --foreground` (timed, process start
 *   included), then `supysonic-server --server gunicorn` on 127.0.0.1 (gunicorn's defaults:
 *   one sync worker, so one process against our one Node process; `--peer-processes` changes it).
 * - Ours, for the scan, is the `--load` server child (scripts/bench-load.ts): a full scan
 *   from an empty database, timed in-process. For the API it is the production server
 *   (scripts/bench-production-server.ts: `next build` + scripts/server.mjs, what `npm start`
 *   runs) on the same library, its start-up scan waited for, so requests pay Next.js's own
 *   cost as an admin's server does.
 * - Both stay up; each figure is three rounds of ours and theirs back to back (the order
 *   alternating), and the round with the median ratio is reported, so both see the same
 *   machine state (this VM drifts between fast and slow phases). Authentication is `u` + `p` on both: supysonic (API 1.10.2) has no
 *   token authentication.
 *
 * Every figure is printed as a ratio where ≥ 1× means we are better: requests/s ours/theirs
 * one at a time and at 16 clients (the comparison; p50/p95 of both are printed
 * alongside: a single p95 of sub-millisecond requests is mostly this VM's scheduling noise),
 * and the full scan's time theirs/ours.
 * The default library is 2 000 tracks because supysonic commits (and fsyncs) every file it
 * scans: at 100 000 tracks its scan alone would take about an hour on this machine.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, stopChild } from "./bench-children";
import { apiEndpoints, fmtLoad, type LoadStats, runLoad, startOurServer } from "./bench-load";
import { startProductionServer } from "./bench-production-server";
import type { PrintRow } from "./bench-scale";

const root = path.resolve(import.meta.dirname, "..");
/** Rounds per figure (odd: the median round is reported). */
const ROUNDS = 3;

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

/** True when supysonic can run, installing it (apt) when missing and allowed. */
function ensureSupysonic(): boolean {
  if (has("supysonic-cli") && has("supysonic-server") && has("gunicorn")) return true;
  if (process.getuid?.() !== 0) {
    console.log("peer: supysonic is not installed and we are not root (apt-get install supysonic gunicorn); skipped");
    return false;
  }
  console.log("peer: installing supysonic and gunicorn (apt) …");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "supysonic", "gunicorn"], { stdio: "inherit", env });
  return has("supysonic-cli") && has("supysonic-server");
}

/** Polls `ping` until the server answers ok (or gives up). */
async function waitForPing(url: string, auth: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`supysonic-server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/rest/ping.view?${auth}&v=1.10.2&c=bench&f=json`);
      if (r.ok && (await r.text()).includes('"ok"')) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("supysonic-server did not answer ping within a minute");
}

/** supysonic on `music`: configured, scanned (timed) and serving; `stop` ends it and removes its folder. */
async function startSupysonic(music: string, processes: number | undefined): Promise<{ url: string; scanMs: number; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "tessitura-peer-"));
  writeFileSync(
    path.join(dir, "supysonic.conf"),
    `[base]\ndatabase_uri = sqlite:///${path.join(dir, "supysonic.db")}\n[webapp]\ncache_dir = ${path.join(dir, "cache")}\nmount_webui = off\nlog_level = ERROR\n[daemon]\nsocket = ${path.join(dir, "daemon.sock")}\n`,
  );
  const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: path.join(dir, ".config") };
  const cli = (...args: string[]) => execFileSync("supysonic-cli", args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  cli("user", "add", "admin", "-p", "bench-pass");
  cli("user", "setroles", "-A", "admin");
  cli("folder", "add", "bench", music);
  const t = performance.now();
  const out = cli("folder", "scan", "--foreground", "bench");
  const scanMs = performance.now() - t;
  const added = /Added: (.*)/.exec(out)?.[1];
  if (added) console.log(`  supysonic scan: ${added}`);
  const port = await freePort();
  const child = spawn("supysonic-server", ["--server", "gunicorn", "--host", "127.0.0.1", "--port", String(port), ...(processes ? ["--processes", String(processes)] : [])], {
    cwd: dir,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForPing(url, "u=admin&p=bench-pass", child);
  } catch (err) {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  return {
    url,
    scanMs,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the peer comparison and prints its rows (P*). */
export async function peerFigures(opts: { print: PrintRow }): Promise<void> {
  const tracks = Number(arg("peer-tracks") ?? 2000);
  const seconds = Number(arg("seconds") ?? 2);
  const processes = arg("peer-processes") ? Number(arg("peer-processes")) : undefined;
  if (!ensureSupysonic()) return;
  const { ensureBigLibrary, bigLibraryFolder } = await import("../lib/testing/big-library");
  const music = bigLibraryFolder(tracks);
  await ensureBigLibrary(music, { tracks });

  console.log(`\npeer: ${tracks} tracks — ours (full scan) …`);
  const scanner = await startOurServer(tracks);
  const scanMs = scanner.scanMs;
  await scanner.stop();
  console.log(`  ours scanned in ${(scanMs / 1000).toFixed(1)} s; our production server (start-up scan) …`);
  const ours = await startProductionServer({ musicFolder: music, adminPassword: "bench-pass", awaitScan: true });
  let theirs: Awaited<ReturnType<typeof startSupysonic>> | undefined;
  try {
    console.log("  supysonic (full scan) …");
    theirs = await startSupysonic(music, processes);
    console.log(`  supysonic scanned in ${(theirs.scanMs / 1000).toFixed(1)} s; measuring (${seconds} s per run, ${ROUNDS} alternating rounds)`);
    const auth = () => "u=admin&p=bench-pass";
    const oursE = await apiEndpoints(ours.url, auth);
    const theirsE = await apiEndpoints(theirs.url, auth);
    const results: { name: string; clients: number; ours: LoadStats; theirs: LoadStats }[] = [];
    for (const e of oursE) {
      const t = theirsE.find((x) => x.name === e.name)!;
      for (const clients of [1, 16]) {
        const run = (url: string, ep: typeof e) => runLoad((i) => `${url}/rest/${ep.query(i)}`, { concurrency: clients, seconds, maxRequests: clients === 1 ? 300 : undefined });
        // Three rounds, the order alternating (ours first, then theirs first, …); the round with the median ratio is kept.
        const rounds: { ours: LoadStats; theirs: LoadStats; ratio: number }[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          let o: LoadStats;
          let th: LoadStats;
          if (r % 2 === 0) {
            o = await run(ours.url, e);
            th = await run(theirs.url, t);
          } else {
            th = await run(theirs.url, t);
            o = await run(ours.url, e);
          }
          rounds.push({ ours: o, theirs: th, ratio: o.rps / th.rps });
        }
        rounds.sort((x, y) => x.ratio - y.ratio);
        const { ours: o, theirs: th } = rounds[Math.floor(ROUNDS / 2)];
        console.log(`  ours    ${e.name.padEnd(14)} ${String(clients).padStart(2)} clients: ${fmtLoad(o)}`);
        console.log(`  theirs  ${e.name.padEnd(14)} ${String(clients).padStart(2)} clients: ${fmtLoad(th)}`);
        results.push({ name: e.name, clients, ours: o, theirs: th });
      }
    }
    for (const r of results) {
      const ratio = r.ours.rps / r.theirs.rps;
      const how = r.clients === 1 ? "one at a time" : `${r.clients} clients`;
      const lat = `p50/p95 ${r.ours.p50.toFixed(1)}/${r.ours.p95.toFixed(1)} vs ${r.theirs.p50.toFixed(1)}/${r.theirs.p95.toFixed(1)} ms`;
      opts.print({ figure: `P. ${r.name}, ${how}, req/s ours vs supysonic (${tracks} tracks; ${lat}; errors ${r.ours.errors}/${r.theirs.errors})`, ours: r.ours.rps, baseline: r.theirs.rps, unit: "req/s", ratio, target: "≥ 1×", met: ratio >= 1 && r.ours.errors === 0 });
    }
    const scanRatio = theirs.scanMs / scanMs;
    opts.print({ figure: `P. full scan of ${tracks} tracks, supysonic time vs ours (speed ratio)`, ours: scanMs, baseline: theirs.scanMs, unit: "ms", ratio: scanRatio, target: "≥ 1×", met: scanRatio >= 1 });
  } finally {
    await theirs?.stop();
    await ours.stop();
  }
}
