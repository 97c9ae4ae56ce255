import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runNdp, runNdpJson } from "./ndp/cli-process";
import { freePort, runPluginCli as pluginCli } from "./plugin-cli/cli-process";

// The classified load errors (addendum A5.6, lib/plugins/compat/classify.ts) reach the two
// command-line tools in the same words as lastError: `npm run plugin` (enable, verify) and
// `ndp validate`. lib/plugins/compat/load-errors.test.ts covers lastError and the API.

const root = path.resolve(import.meta.dirname, "..");
const built = path.join(root, "build/plugins");
const FUTURE = 'creating instance: "playlist_create" is not exported in module "extism:host/user": unknown to every Navidrome release up to v0.64.0';
const LACKS = 'creating instance: "kvstore_get" is not exported in module "extism:host/user": manifest lacks permission "kvstore"';

describe("npm run plugin (offline)", () => {
  const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-compat-data-"));
  const pluginsFolder = mkdtempSync(path.join(tmpdir(), "tessitura-compat-plugins-"));
  let env: Record<string, string>;

  beforeAll(async () => {
    for (const name of ["wat-future-import", "wat-missing-import"]) copyFileSync(path.join(built, `${name}.ndp`), path.join(pluginsFolder, `${name}.ndp`));
    env = { ND_DATAFOLDER: dataFolder, ND_PLUGINS_FOLDER: pluginsFolder, ND_PORT: String(await freePort()) };
    expect((await pluginCli(["rescan", "--json"], env)).code).toBe(0);
  }, 60_000);

  it.each([
    ["wat-future-import", FUTURE],
    ["wat-missing-import", LACKS],
  ])("enable %s fails with the classified message, and list shows it", async (id, message) => {
    const r = await pluginCli(["enable", id, "--offline"], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${message}`);
    expect((await pluginCli(["list", "--offline"], env)).stdout).toContain(`${id}: ${message}`);
  });

  it("verify reports the classified message", async () => {
    const r = await pluginCli(["verify", path.join(built, "wat-future-import.ndp"), "--json"], env);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).errors).toEqual([expect.stringContaining(FUTURE)]);
  });
});

describe("ndp validate", () => {
  const work = mkdtempSync(path.join(tmpdir(), "ndp-compat-"));

  it.each([
    ["wat-future-import", FUTURE],
    ["wat-missing-import", LACKS],
  ])("%s is INVALID with the classified message", async (id, message) => {
    const text = await runNdp(["validate", path.join(built, `${id}.ndp`)], { cwd: work });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`error: ${message}`);
    const json = await runNdpJson(["validate", path.join(built, `${id}.ndp`)], { cwd: work });
    expect(json.json.errors.filter((e: string) => e.startsWith(message))).toHaveLength(1);
  });

  it("warns about exports no release calls and about subsonicapi_callraw's wire format", async () => {
    const future = await runNdpJson(["validate", path.join(built, "wat-future-import.ndp")], { cwd: work });
    expect(future.json.warnings).toContainEqual(expect.stringMatching(/^export nd_future_hook is unknown to every Navidrome release up to v0\.64\.0/));
    const raw = await runNdpJson(["validate", path.join(built, "test-subsonicapi-plugin.ndp")], { cwd: work });
    expect(raw.json.warnings).toContainEqual(expect.stringMatching(/^subsonicapi_callraw answers in the Navidrome v0\.61\.0\+ JSON format/));
  });
});
