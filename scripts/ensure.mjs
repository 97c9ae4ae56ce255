#!/usr/bin/env node
// Set-up that the README's two commands do for themselves on a fresh machine:
// installs npm dependencies when node_modules is missing or older than the lockfile,
// and (for the test command) Debian's Chromium when it is missing.
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

export function ensureGenerated() {
  if (!existsSync(path.join(root, "lib/db/generated/prisma/client.ts"))) run("npm run --silent generate");
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureDependencies();
  ensureGenerated();
}
