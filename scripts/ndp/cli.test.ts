import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import AdmZip from "adm-zip";
import { beforeAll, describe, expect, it } from "vitest";
import { runNdp, runNdpJson } from "./cli-process";

// The author's path end to end, as child processes in a temporary folder:
// init → build → validate → inspect → run (docs/plugins.md, issue #10).
const work = mkdtempSync(path.join(tmpdir(), "ndp-cli-"));
const pkg = path.join(work, "hello", "dist", "hello.ndp");

beforeAll(async () => {
  const init = await runNdp(["init", "hello", "--capability", "metadata-agent", "--capability", "scrobbler", "--permission", "kvstore", "--author", "Ada"], { cwd: work });
  expect(init.code, init.stderr).toBe(0);
  const build = await runNdp(["build", "hello"], { cwd: work });
  expect(build.code, build.stderr).toBe(0);
}, 120_000);

describe("ndp init", () => {
  it("scaffolds a folder with a manifest, PDK source and the permissions the capabilities need", () => {
    const manifest = JSON.parse(readFileSync(path.join(work, "hello", "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "hello", author: "Ada", version: "0.1.0" });
    // A scrobbler must declare `users` (contract §1.7 rule 7); kvstore was asked for.
    expect(Object.keys(manifest.permissions).sort()).toEqual(["kvstore", "users"]);
    expect(manifest.permissions.users.reason).toBeTruthy();
    const source = readFileSync(path.join(work, "hello", "index.ts"), "utf8");
    expect(source).toContain('export * from "@tessitura/ndp-pdk/exports/metadata-agent";');
    expect(source).toContain('export * from "@tessitura/ndp-pdk/exports/scrobbler";');
    expect(source).toContain("function myAbort(");
  });

  it("adds the capability a permission requires, and refuses unknown names and non-empty folders", async () => {
    const r = await runNdpJson(["init", "queue-worker", "--permission", "taskqueue", "--capability", "lifecycle"], { cwd: work });
    expect(r.json.capabilities).toEqual(["task-worker", "lifecycle"]);
    expect(r.json.permissions).toEqual(["taskqueue"]);
    const unknown = await runNdp(["init", "x", "--capability", "telepathy"], { cwd: work });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown capability "telepathy"');
    const again = await runNdp(["init", "hello"], { cwd: work });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("is not empty");
  });
});

describe("ndp build", () => {
  it("packages manifest.json and plugin.wasm at the root of dist/<id>.ndp, nothing else", () => {
    const entries = new AdmZip(pkg).getEntries().map((e) => e.entryName);
    expect(entries).toEqual(["manifest.json", "plugin.wasm"]);
    expect(existsSync(path.join(work, "hello", "dist", "plugin.wasm"))).toBe(true);
  });

  it("reports compiler errors with the file and line", async () => {
    const r = await runNdp(["init", "broken"], { cwd: work });
    expect(r.code).toBe(0);
    writeFileSync(path.join(work, "broken", "index.ts"), `${readFileSync(path.join(work, "broken", "index.ts"), "utf8")}\nconst oops: i32 = "text";\n`);
    const build = await runNdp(["build", "broken"], { cwd: work });
    expect(build.code).toBe(1);
    expect(build.stderr).toMatch(/asc could not compile[\s\S]*index\.ts/);
    expect(build.stderr).toContain("not assignable");
  });

  it("refuses a manifest the server would refuse, before compiling", async () => {
    await runNdp(["init", "badmanifest"], { cwd: work });
    writeFileSync(path.join(work, "badmanifest", "manifest.json"), JSON.stringify({ name: "x", author: "y", version: "1", permissions: { subsonicapi: {} } }));
    const build = await runNdp(["build", "badmanifest"], { cwd: work });
    expect(build.code).toBe(1);
    expect(build.stderr).toContain("'subsonicapi' permission requires 'users' permission to be declared");
  });
});

describe("ndp validate", () => {
  it("accepts the built package and says what to do before enabling", async () => {
    const r = await runNdpJson(["validate", pkg], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ ok: true, errors: [] });
    expect(r.json.inspection.capabilities).toEqual(["MetadataAgent", "Scrobbler"]);
    expect(r.json.inspection.notes).toEqual(["select users (or 'all users') before enabling"]);
  });

  it("is strict about unknown manifest keys the server would ignore, and warns about the layout", async () => {
    const zip = new AdmZip(pkg);
    const manifest = JSON.parse(zip.readAsText("manifest.json"));
    manifest.permissions.kvstore.maxsize = "2MB"; // a typo: the server ignores it, validate does not
    const out = new AdmZip();
    out.addFile("manifest.json", Buffer.from(JSON.stringify(manifest)));
    out.addFile("plugin.wasm", zip.readFile("plugin.wasm")!);
    out.addFile("dist/plugin.wasm", zip.readFile("plugin.wasm")!);
    const file = path.join(work, "typo.ndp");
    out.writeZip(file);
    const r = await runNdpJson(["validate", file], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.json.errors.join("\n")).toMatch(/manifest schema.*maxsize/);
    expect(r.json.warnings.join("\n")).toContain("dist/plugin.wasm is not at the archive root");
  });

  it("fails with the server's load error when an import is not granted", async () => {
    const zip = new AdmZip(pkg);
    const manifest = JSON.parse(zip.readAsText("manifest.json"));
    delete manifest.permissions.users;
    zip.updateFile("manifest.json", Buffer.from(JSON.stringify(manifest)));
    const file = path.join(work, "nousers.ndp");
    zip.writeZip(file);
    const r = await runNdp(["validate", file], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("scrobbler capability requires 'users' permission to be declared in manifest");
  });
});

describe("ndp inspect", () => {
  it("lists exports, imports with the permission each needs, capabilities, permissions and sizes", async () => {
    const r = await runNdpJson(["inspect", pkg], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.json.capabilities).toEqual(["MetadataAgent", "Scrobbler"]);
    expect(r.json.exports).toContain("nd_get_artist_biography");
    expect(r.json.exports).toContain("nd_scrobbler_playback_report");
    expect(r.json.exports).not.toContain("__new");
    expect(r.json.permissions.map((p: { key: string }) => p.key).sort()).toEqual(["kvstore", "users"]);
    expect(r.json.sizes.package).toBeGreaterThan(1000);
    expect(r.json.imports).toContainEqual({ module: "extism:host/env", name: "output_set", available: true });
    const text = await runNdp(["inspect", pkg], { cwd: work });
    expect(text.stdout).toMatch(/Capabilities: MetadataAgent, Scrobbler/);
  });
});

describe("ndp run", () => {
  it("calls an export with JSON input and config, printing the output", async () => {
    const r = await runNdp(["run", pkg, "nd_get_artist_biography", '{"id":"1","name":"Björk"}', "--config", "greeting=Hej"], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ biography: "Hej from hello: Björk is in your library." });
    expect(r.stderr).toMatch(/nd_get_artist_biography returned 0 in \d+ ms/);
  });

  it("reports -2, errors, missing exports and bad input the way the server sees them", async () => {
    const notImplemented = await runNdpJson(["run", pkg, "nd_get_artist_mbid", '{"id":"1","name":"x"}'], { cwd: work });
    expect(notImplemented.code).toBe(1);
    expect(notImplemented.json.call).toMatchObject({ outcome: "not-implemented", code: -2, hostError: "function not implemented: nd_get_artist_mbid" });

    const badInput = await runNdpJson(["run", pkg, "nd_get_artist_biography", "{not json"], { cwd: work });
    expect(badInput.json.call).toMatchObject({ outcome: "failed", code: -1, hostError: "plugin call failed: failed to parse input JSON: {not json" });

    const missing = await runNdpJson(["run", pkg, "nd_lyrics_get_lyrics"], { cwd: work });
    expect(missing.json.call).toMatchObject({ outcome: "not-found", hostError: "function not found: nd_lyrics_get_lyrics" });
  });

  it("prints the plugin's log lines and reads input from a file", async () => {
    const input = path.join(work, "scrobble.json");
    writeFileSync(input, JSON.stringify({ username: "ada", track: { title: "Jóga", artist: "Björk", artists: [], albumArtists: [] }, timestamp: 1714650123 }));
    const r = await runNdp(["run", pkg, "nd_scrobbler_scrobble", `@${input}`], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("[info] ada played Jóga by Björk at 1714650123");
  });

  it("answers usage errors with exit code 2", async () => {
    expect((await runNdp(["run", pkg], { cwd: work })).code).toBe(2);
    expect((await runNdp(["frobnicate"], { cwd: work })).code).toBe(2);
    const help = await runNdp(["--help"], { cwd: work });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: npx ndp <command>");
  });
});
