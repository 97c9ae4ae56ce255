#!/usr/bin/env node
// `npm start`: serves the built app on the configured Address/Port (Navidrome's option
// names: ND_PORT / ND_ADDRESS, or Port / Address in navidrome.toml) through
// scripts/server.mjs, which gives the app the client's socket address. Everything else is
// read by the server itself at start-up (lib/config.ts).
import { existsSync, readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { startServer } from "./server.mjs";

const argv = process.argv.slice(2);
const fileArg = argv.find((a) => a.startsWith("--configfile="))?.split("=")[1] ?? (argv.includes("--configfile") ? argv[argv.indexOf("--configfile") + 1] : undefined);
const file = fileArg ?? process.env.ND_CONFIGFILE ?? (existsSync("navidrome.toml") ? "navidrome.toml" : null);
const toml = file ? Object.fromEntries(Object.entries(parse(readFileSync(file, "utf8"))).map(([k, v]) => [k.toLowerCase(), v])) : {};
const port = Number(process.env.ND_PORT ?? toml.port ?? 4533);
const address = String(process.env.ND_ADDRESS ?? toml.address ?? "0.0.0.0");
if (file) process.env.ND_CONFIGFILE = file;

startServer({ port, hostname: address }).catch((err) => {
  console.error(`FATAL: ${err.message}`);
  process.exit(1);
});
