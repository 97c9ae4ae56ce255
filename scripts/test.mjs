#!/usr/bin/env node
// `npm test`: the whole suite from a fresh clone. Installs what is missing, builds the
// plugin fixtures and the app, then runs type-checking, unit + integration tests
// (vitest) and the browser tests (Playwright in Debian's Chromium). Ends with one
// summary line: "tests: N passed, N failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { ensureChromium, ensureDependencies, ensureFfmpeg } from "./ensure.mjs";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };

function step(title, cmd, args) {
  console.log(`\n=== ${title}: ${cmd} ${args.join(" ")}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  console.log(`=== ${title}: ${r.status === 0 ? "ok" : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r.status === 0;
}

function counts(file, pick) {
  try {
    return pick(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return null;
  }
}

ensureDependencies();
ensureChromium();
ensureFfmpeg();
mkdirSync("test-results", { recursive: true });
// Vitest reports go to build/reports: Playwright empties test-results/ when it starts.
mkdirSync("build/reports", { recursive: true });
for (const f of ["build/reports/unit.json", "build/reports/security.json", "test-results/e2e.json"]) rmSync(f, { force: true });

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
const results = [];
results.push(step("prisma client", "npm", ["run", "--silent", "generate"]));
results.push(step("plugin fixtures", "node", ["scripts/build-plugins.mjs"]));
if (want("cycles")) results.push(step("import cycles across folders", "node", ["scripts/check-cycles.mjs"]));
if (want("typecheck")) results.push(step("typecheck", "npx", ["tsc", "--noEmit", "-p", "."]));
if (want("unit")) results.push(step("unit + integration", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=build/reports/unit.json"]));
if (want("security"))
  results.push(step("security (attacks, fuzzing, faults, load)", "npx", ["vitest", "run", "--config", "vitest.security.config.ts", "--reporter=default", "--reporter=json", "--outputFile.json=build/reports/security.json"]));
if (want("e2e")) {
  const built = step("next build", "npx", ["next", "build"]);
  results.push(built);
  if (built) results.push(step("e2e (Playwright, Chromium)", "npx", ["playwright", "test"]));
}

const unit = counts("build/reports/unit.json", (j) => ({ passed: j.numPassedTests, failed: j.numFailedTests }));
const security = counts("build/reports/security.json", (j) => ({ passed: j.numPassedTests, failed: j.numFailedTests }));
const e2e = counts("test-results/e2e.json", (j) => ({ passed: j.stats.expected, failed: j.stats.unexpected + (j.stats.flaky ?? 0) }));
const passed = (unit?.passed ?? 0) + (security?.passed ?? 0) + (e2e?.passed ?? 0);
const failedTests = (unit?.failed ?? 0) + (security?.failed ?? 0) + (e2e?.failed ?? 0);
const stepFailures = results.filter((ok) => !ok).length;
console.log(`\nunit: ${unit ? `${unit.passed} passed, ${unit.failed} failed` : "no report"}; security: ${security ? `${security.passed} passed, ${security.failed} failed` : "no report"}; e2e: ${e2e ? `${e2e.passed} passed, ${e2e.failed} failed` : "no report"}`);
console.log(`tests: ${passed} passed, ${failedTests + (stepFailures && !failedTests ? stepFailures : 0)} failed`);
process.exit(stepFailures ? 1 : 0);
