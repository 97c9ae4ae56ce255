#!/usr/bin/env node
// Runs a TypeScript entry point outside Next.js and vitest (benchmarks, test children):
// `node scripts/run-ts.mjs <file.ts> [args…]`.
import path from "node:path";
import { projectJiti, root } from "./ts-runtime.mjs";

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run-ts.mjs <file.ts> [args…]");
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...args];
await projectJiti({ fsCache: path.join(root, "build", "jiti-cache") }).import(path.resolve(entry));
