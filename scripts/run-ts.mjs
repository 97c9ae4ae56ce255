#!/usr/bin/env node
// Runs a TypeScript entry point from lib/ outside Next.js and vitest (benchmarks, CLI):
// jiti compiles on the fly; `server-only` resolves to the same no-op stub vitest uses and
// `@/` to the project root, as in tsconfig.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createJiti } from "jiti";

const root = path.resolve(import.meta.dirname, "..");
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run-ts.mjs <file.ts> [args…]");
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...args];
const jiti = createJiti(pathToFileURL(path.join(root, "package.json")).href, {
  alias: { "server-only": path.join(root, "lib/testing/server-only-stub.ts"), "@": root },
  fsCache: path.join(root, "build", "jiti-cache"),
});
await jiti.import(path.resolve(entry));
