#!/usr/bin/env node
// `npm run plugin -- <command>`: the plugin admin CLI (docs/cli.md, code in scripts/plugin-cli/),
// TypeScript sharing lib/ with the server, run through jiti (scripts/ts-runtime.mjs).
import { runCli } from "./ts-runtime.mjs";

await runCli("plugin", "scripts/plugin-cli/main.ts");
