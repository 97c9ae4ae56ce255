import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { pluginManager, type PluginManager } from "@/lib/plugins";
import { waitFor } from "@/lib/testing/background-plugins";
import { startSubsonicTestServer, type SubsonicTestServer } from "@/lib/testing/subsonic-test-server";
import { runNdp, runNdpJson } from "./cli-process";

// The path docs/plugins.md promises a new author, as CI runs it: scaffold, build, validate and
// try a plugin with `ndp`, install it in a server's plugins folder, enable it, configure it, and
// see it answer Subsonic clients; then the same for an example built from its sources.
// (e2e/09-author-kit.spec.ts does the install through the admin pages.)
const root = path.resolve(import.meta.dirname, "../..");
const work = mkdtempSync(path.join(tmpdir(), "ndp-quickstart-"));
const pluginsFolder = mkdtempSync(path.join(tmpdir(), "ndp-quickstart-plugins-"));
let s: SubsonicTestServer;
let manager: PluginManager;
const activity = (id: string) => manager.activity(id).recentLines().map((l) => l.message);

beforeAll(async () => {
  s = await startSubsonicTestServer({ env: { ND_PLUGINS_FOLDER: pluginsFolder, ND_PLUGINS_LOGLEVEL: "info", ND_AGENTS: "my-agent" } });
  manager = pluginManager()!;
});
afterAll(() => s?.close());

describe("the quick start of docs/plugins.md", () => {
  const pkg = path.join(work, "my-agent", "dist", "my-agent.ndp");

  it("1–4: init, build, validate and run without a server", async () => {
    expect((await runNdp(["init", "my-agent"], { cwd: work })).code).toBe(0);
    const build = await runNdp(["build", "my-agent"], { cwd: work });
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toContain("plugin id my-agent");
    const validate = await runNdpJson(["validate", "my-agent/dist/my-agent.ndp"], { cwd: work });
    expect(validate.json).toMatchObject({ ok: true, errors: [] });
    const run = await runNdp(["run", "my-agent/dist/my-agent.ndp", "nd_get_artist_biography", '{"id":"1","name":"Björk"}', "--config", "greeting=Hej"], { cwd: work });
    expect(JSON.parse(run.stdout)).toEqual({ biography: "Hej from my-agent: Björk is in your library." });
  }, 120_000);

  it("5: installs disabled, enables, logs its start in Activity, and reloads with a new greeting", async () => {
    copyFileSync(pkg, path.join(pluginsFolder, "my-agent.ndp"));
    expect((await manager.sync()).added).toEqual(["my-agent"]);
    expect(manager.loadedPlugin("my-agent")).toBeUndefined();
    await manager.enable("my-agent");
    expect(manager.loadedPlugin("my-agent")!.capabilities).toEqual(["MetadataAgent", "Lifecycle"]);
    expect(activity("my-agent")).toContain("my-agent loaded (greeting: Hello)");
    await manager.saveSettings("my-agent", { config: JSON.stringify({ greeting: "Hej" }) });
    await waitFor(() => activity("my-agent").includes("my-agent loaded (greeting: Hej)"), 5000, "the reload's log line");
  });

  it("6: answers getArtistInfo2 as the server's agent", async () => {
    const artist = await db().artist.findFirstOrThrow({ where: { name: "Björk Demo" } });
    const r = await s.json("getArtistInfo2", { id: artist.id });
    expect(r.artistInfo2.biography).toBe("Hej from my-agent: Björk Demo is in your library.");
    expect(manager.activity("my-agent").metrics().find((m) => m.name === "nd_get_artist_biography")?.count).toBe(1);
  });
});

describe("an example built from its sources", () => {
  it("builds, validates, installs and answers getSonicSimilarTracks", async () => {
    const out = path.join(work, "sonic-neighbours.ndp");
    const build = await runNdp(["build", path.join(root, "plugins/examples/sonic-neighbours"), "-o", out], { cwd: work });
    expect(build.code, build.stderr).toBe(0);
    expect((await runNdpJson(["validate", out], { cwd: work })).json.ok).toBe(true);
    copyFileSync(out, path.join(pluginsFolder, "sonic-neighbours.ndp"));
    await manager.sync();
    await expect(manager.enable("sonic-neighbours")).rejects.toThrow("users permission requires configuration");
    await manager.saveSettings("sonic-neighbours", { allUsers: true, allLibraries: true });
    await manager.enable("sonic-neighbours");
    const song = await db().mediaFile.findFirstOrThrow({ where: { title: "Whistle" } });
    const r = await s.json("getSonicSimilarTracks", { id: song.id, count: "2" });
    expect(r.sonicMatch.map((m: { entry: { title: string } }) => m.entry.title)).toEqual(["Low Hum", "Middle Ground"]);
  }, 120_000);
});
