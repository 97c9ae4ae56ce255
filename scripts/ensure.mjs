#!/usr/bin/env node
// Set-up that the README's two commands do for themselves on a fresh machine:
// installs npm dependencies when node_modules is missing or older than the lockfile,
// Debian's ffmpeg for transcoding, and (for the test command) Debian's Chromium when missing.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");

function run(cmd) {
  console.log(`$ ${cmd}`);
  execSync(cmd, { cwd: root, stdio: "inherit", env: { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? "/usr" } });
}

export function ensureDependencies() {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  const lock = path.join(root, "package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  run("npm ci --strict-allow-scripts --no-audit --no-fund");
}

export function ensureChromium() {
  const exe = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(exe)) return;
  if (process.getuid?.() !== 0) throw new Error(`Chromium not found at ${exe}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium");
}

/**
 * Debian's ffmpeg, for transcoding (issue #17), installed like Chromium when running as root.
 * Optional: without it the server streams original files, so a non-root run only warns.
 */
export function ensureFfmpeg() {
  const configured = process.env.ND_TRANSCODING_FFMPEGPATH ?? "ffmpeg";
  const found = configured.includes("/") ? existsSync(configured) : (process.env.PATH ?? "").split(path.delimiter).some((d) => d && existsSync(path.join(d, configured)));
  if (found) return;
  // Installing Debian's package only helps when the server looks ffmpeg up on PATH.
  if (process.getuid?.() !== 0 || configured !== "ffmpeg") {
    console.warn(`ffmpeg not found (${configured}): transcoding will be off and original files streamed. Install Debian's ffmpeg package (apt-get install ffmpeg) or set ND_TRANSCODING_FFMPEGPATH.`);
    return;
  }
  run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg");
}

export function ensureGenerated() {
  if (!existsSync(path.join(root, "lib/db/generated/prisma/client.ts"))) run("npm run --silent generate");
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureDependencies();
  ensureGenerated();
  ensureFfmpeg();
}
