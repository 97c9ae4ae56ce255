#!/usr/bin/env node
// `npm start`: serves the built app on the configured Address/Port (Navidrome's option
// names: ND_PORT / ND_ADDRESS, or Port / Address in navidrome.toml). Everything else is
// read by the server itself at start-up (lib/config.ts).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { parse } from "smol-toml";

const argv = process.argv.slice(2);
const fileArg = argv.find((a) => a.startsWith("--configfile="))?.split("=")[1] ?? (argv.includes("--configfile") ? argv[argv.indexOf("--configfile") + 1] : undefined);
const file = fileArg ?? process.env.ND_CONFIGFILE ?? (existsSync("navidrome.toml") ? "navidrome.toml" : null);
const toml = file ? Object.fromEntries(Object.entries(parse(readFileSync(file, "utf8"))).map(([k, v]) => [k.toLowerCase(), v])) : {};
const port = process.env.ND_PORT ?? toml.port ?? 4533;
const address = process.env.ND_ADDRESS ?? toml.address ?? "0.0.0.0";
if (file) process.env.ND_CONFIGFILE = file;

const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", String(address)], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
