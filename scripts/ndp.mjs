#!/usr/bin/env node
// `npx ndp <command>` (or `npm run ndp -- <command>`): the plugin author's CLI — init, build,
// validate, inspect and run .ndp plugins without a server (docs/plugins.md, code in scripts/ndp/).
//
// Like scripts/plugin-cli.mjs, the TypeScript runs through jiti with the aliases vitest uses
// (`@/` is the project root, `server-only` an empty module). File arguments are relative to
// the caller's directory; the process itself works from the project root, where the plugin
// engine finds its worker script.
import path from "node:path";
import { createJiti } from "jiti";

const root = path.resolve(import.meta.dirname, "..");
const cwd = process.env.npm_lifecycle_event === "ndp" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
process.chdir(root);

const jiti = createJiti(import.meta.url, {
  alias: { "@": root, "server-only": path.join(root, "lib/testing/server-only-stub.ts") },
});
// Plugin modules compile on V8 threads that do not keep the event loop alive (see plugin-cli.mjs).
const keepAlive = setInterval(() => {}, 60_000);
const { main } = await jiti.import(path.join(root, "scripts/ndp/main.ts"));
const code = await main(process.argv.slice(2), { cwd, env: process.env });
clearInterval(keepAlive);
process.exitCode = code;
// Whatever a plugin left open (sockets, schedules) must not keep a finished command alive.
setTimeout(() => process.exit(code), 2000).unref();
