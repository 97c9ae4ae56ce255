#!/usr/bin/env node
// `npm run plugin -- <command>`: the plugin admin CLI (docs/cli.md, code in scripts/plugin-cli/).
//
// The CLI is TypeScript that shares lib/ with the server but runs outside Next.js, on a
// Node without type stripping. jiti (installed with Prisma and Vite) compiles it on the
// fly and caches the result in node_modules/.cache/jiti, with the aliases vitest.config.ts
// uses: `@/` is the project root and `server-only` is an empty module.
import path from "node:path";
import { createJiti } from "jiti";

const root = path.resolve(import.meta.dirname, "..");
// `npm run` starts scripts in the project root; file arguments are the caller's.
const cwd = process.env.npm_lifecycle_event === "plugin" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
// Migrations and the engine's worker script are found from the project root, as for the server.
process.chdir(root);

const jiti = createJiti(import.meta.url, {
  alias: { "@": root, "server-only": path.join(root, "lib/testing/server-only-stub.ts") },
});
// WebAssembly compiles (Prisma's query compiler, plugin modules) run on V8 threads that do
// not keep Node's event loop alive; without a pending timer a command can end half-way
// with "unsettled top-level await" (exit 13).
const keepAlive = setInterval(() => {}, 60_000);
const { main } = await jiti.import(path.join(root, "scripts/plugin-cli/main.ts"));
const code = await main(process.argv.slice(2), { cwd, env: process.env });
clearInterval(keepAlive);
process.exitCode = code;
// Whatever a plugin or a driver left open must not keep a finished command alive.
setTimeout(() => process.exit(code), 2000).unref();
