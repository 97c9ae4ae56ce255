/**
 * The production server for benches: what `npm start` runs (scripts/server.mjs over a
 * `next build`), in a child process on 127.0.0.1, with its own data folder, so a figure
 * measured against it is what an admin's server does, framework included.
 *
 * The build is reused when `.next/BUILD_ID` is newer than every source file it is built
 * from; otherwise `npm run build` runs first (about 1.5 minutes on a 2-core VM), so a
 * figure is never measured on stale code.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { freePort, processCpuMs, stopChild } from "./bench-children";

const root = path.resolve(import.meta.dirname, "..");

/** What `next build` reads: the app's folders and the files that configure it. */
const BUILD_INPUTS = ["app", "lib", "components", "public", "next.config.ts", "package.json", "package-lock.json", "tsconfig.json"];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(p, { recursive: true }) as string[]) {
    // Tests are not part of the build.
    if (/\.test\.tsx?$/.test(name)) continue;
    newest = Math.max(newest, statSync(path.join(p, name)).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build` unless `.next` is newer than every build input. */
export function ensureProductionBuild(): void {
  const id = path.join(root, ".next", "BUILD_ID");
  const built = existsSync(id) ? statSync(id).mtimeMs : 0;
  const stale = BUILD_INPUTS.map((p) => path.join(root, p)).find((p) => newestMtime(p) > built);
  if (!stale) return;
  console.log(`  ${built ? `${path.relative(root, stale)} changed since the last build` : "no build yet"}: npm run build …`);
  const r = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status})`);
}

/** A running production server: its URL, its process's CPU time so far (ms; Linux), and how to stop it. */
export interface ProductionServer {
  url: string;
  cpuMs: () => number | undefined;
  stop: () => Promise<void>;
}

/** Polls `getScanStatus` until the start-up scan has finished (the server scans its library when it starts). */
async function awaitStartupScan(url: string, adminPassword: string, timeoutMs = 30 * 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await fetch(`${url}/rest/getScanStatus.view?u=admin&p=${encodeURIComponent(adminPassword)}&v=1.16.1&c=bench&f=json`);
    const status = ((await r.json()) as { "subsonic-response": { scanStatus?: { scanning: boolean; count: number } } })["subsonic-response"].scanStatus;
    if (status && !status.scanning && status.count > 0) return;
    if (Date.now() > until) throw new Error("the production server's start-up scan did not finish");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Builds when needed and starts `scripts/server.mjs` with a fresh data folder, `musicFolder`
 * as its library (scanned at start-up; with `awaitScan`, resolves only once that scan has
 * finished), plugins off and the admin `admin` / `adminPassword`; resolves once it answers
 * `/health`.
 */
export async function startProductionServer(opts: { musicFolder: string; adminPassword: string; awaitScan?: boolean }): Promise<ProductionServer> {
  ensureProductionBuild();
  const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-bench-prod-"));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(root, "scripts/server.mjs"), "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      ND_DATAFOLDER: dataFolder,
      ND_MUSICFOLDER: opts.musicFolder,
      ND_PLUGINS_ENABLED: "false",
      ND_DEVAUTOCREATEADMINPASSWORD: opts.adminPassword,
      ND_LOGLEVEL: "error",
    },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on("line", (line) => {
        if (line.includes("Ready on")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`the production server exited with ${code} before listening`)));
    });
    const url = `http://127.0.0.1:${port}`;
    const r = await fetch(`${url}/health`);
    if (!r.ok) throw new Error(`/health answered ${r.status}`);
    if (opts.awaitScan) await awaitStartupScan(url, opts.adminPassword);
  } catch (err) {
    await stopChild(child);
    rmSync(dataFolder, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    cpuMs: () => processCpuMs(child.pid!),
    stop: async () => {
      await stopChild(child);
      rmSync(dataFolder, { recursive: true, force: true });
    },
  };
}
