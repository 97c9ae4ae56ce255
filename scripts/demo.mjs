#!/usr/bin/env node
// `npm run demo`: builds and starts Tessitura with a demo library, demo plugins and a
// first-run admin, on http://localhost:4533 (ND_PORT to change). Data lives in
// ./data/demo (ND_DATAFOLDER to change); run it again to keep the same data.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureDependencies, ensureFfmpeg } from "./ensure.mjs";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
ensureDependencies();
// Transcoding in the web player and Subsonic clients; optional (originals are streamed without it).
ensureFfmpeg();

const dataFolder = process.env.ND_DATAFOLDER ?? "data/demo";
const port = process.env.ND_PORT ?? "4533";
const password = process.env.ND_DEVAUTOCREATEADMINPASSWORD ?? "tessitura";
const env = {
  ...process.env,
  ND_DATAFOLDER: dataFolder,
  ND_MUSICFOLDER: process.env.ND_MUSICFOLDER ?? path.join(dataFolder, "music"),
  ND_DEVAUTOCREATEADMINPASSWORD: password,
  ND_PORT: port,
  // The example plugins that answer these are installed below (disabled until an admin enables them).
  ND_AGENTS: process.env.ND_AGENTS ?? "wikipedia-bios,deezer,lastfm,listenbrainz",
  ND_LYRICSPRIORITY: process.env.ND_LYRICSPRIORITY ?? ".lrc,.txt,embedded,lrclib-lyrics",
  TESSITURA_DEMO: "1",
  // The server's stdout is piped through this script: keep the log readable on a terminal.
  ND_LOGFORMAT: process.env.ND_LOGFORMAT ?? (process.stdout.isTTY ? "text" : "auto"),
  NEXT_TELEMETRY_DISABLED: "1",
  CHECKPOINT_DISABLE: "1",
};

if (!process.argv.includes("--no-build")) {
  const build = spawnSync("npm", ["run", "--silent", "build"], { stdio: "inherit", env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// Demo plugins: the examples of plugins/examples (built by build:plugins) that work without
// any setup, copied once (an admin may delete them). New packages start disabled, as in
// Navidrome; on the first run the demo enables them for all users and libraries (below),
// as an admin would. The two that call web services (Wikipedia,
// LRCLIB) need internet access; the webhook scrobbler and the broadcaster only log until an
// address is configured; recently-added gives every user a "Recently added" playlist; the
// webhook receiver answers 503 at /ext/webhook-receiver/ until a shared secret is set.
const pluginsFolder = process.env.ND_PLUGINS_FOLDER ?? path.join(dataFolder, "plugins");
mkdirSync(pluginsFolder, { recursive: true });
const demoPlugins = ["wikipedia-bios", "lrclib-lyrics", "play-counter", "webhook-scrobbler", "sonic-neighbours", "library-analyser", "now-playing-broadcaster", "recently-added", "webhook-receiver"];
for (const name of demoPlugins) {
  const src = path.join("build/plugins", `${name}.ndp`);
  const dst = path.join(pluginsFolder, `${name}.ndp`);
  if (existsSync(src) && !existsSync(dst)) copyFileSync(src, dst);
}

/**
 * First run only: enable the demo plugins the way an admin would (all users, all libraries),
 * through the REST API, so the demo shows them working. Later runs leave the admin's choices.
 */
const enabledMarker = path.join(dataFolder, ".demo-plugins-enabled");
async function enableDemoPlugins() {
  if (existsSync(enabledMarker)) return;
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password }) });
  if (!login.ok) return console.log("  (could not sign in to enable the demo plugins)");
  const { token } = await login.json();
  const enabled = [];
  for (const id of demoPlugins) {
    const res = await fetch(`${base}/api/plugin/${id}`, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-nd-authorization": `Bearer ${token}` },
      body: JSON.stringify({ allUsers: true, allLibraries: true, enabled: true }),
    });
    if (res.ok) enabled.push(id);
  }
  writeFileSync(enabledMarker, enabled.join("\n"));
  console.log(`  Demo plugins enabled: ${enabled.join(", ") || "none"}`);
}

/**
 * First run only: a non-admin "listener" (same password as admin) to try the player as a
 * listener would. Users created through the API see every library, including ones added later.
 */
const listenerMarker = path.join(dataFolder, ".demo-listener-created");
async function createDemoListener() {
  if (existsSync(listenerMarker)) return;
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password }) });
  if (!login.ok) return;
  const { token } = await login.json();
  const res = await fetch(`${base}/api/user`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-nd-authorization": `Bearer ${token}` },
    body: JSON.stringify({ userName: "listener", name: "Demo listener", password, allLibraries: true }),
  });
  // 409: an admin made one already; either way the demo has its listener.
  if (res.ok || res.status === 409) writeFileSync(listenerMarker, "listener\n");
  if (res.ok) console.log(`  Demo listener created: listener / ${password} (all libraries)`);
}

// scripts/server.mjs (as `npm start`): Next behind a server that passes the client address on.
const server = spawn(process.execPath, ["scripts/server.mjs", "--port", port], { stdio: ["ignore", "pipe", "inherit"], env });
server.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (String(chunk).includes("Ready")) {
    enableDemoPlugins().catch((err) => console.log(`  (demo plugins not enabled: ${err.message})`));
    createDemoListener().catch((err) => console.log(`  (demo listener not created: ${err.message})`));
    console.log(`\n  Tessitura demo is running: http://localhost:${port}`);
    console.log(`  Admin user: admin / ${password}; listener (not an admin): listener / ${password}`);
    console.log(`  Subsonic clients: server http://localhost:${port}, same credentials`);
    console.log(`  Plugins folder: ${path.resolve(pluginsFolder)} (${readdirSync(pluginsFolder).filter((f) => f.endsWith(".ndp")).length} packages)\n`);
  }
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));
