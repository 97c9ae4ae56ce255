#!/usr/bin/env node
// `npx ndp <command>` (or `npm run ndp -- <command>`): the plugin author's CLI — init, build,
// validate, inspect and run .ndp plugins without a server (docs/plugins.md, code in
// scripts/ndp/), run through jiti (scripts/ts-runtime.mjs).
import { runCli } from "./ts-runtime.mjs";

await runCli("ndp", "scripts/ndp/main.ts");
