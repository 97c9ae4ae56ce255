import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runNdp, runNdpJson, startServingNdp } from "./cli-process";

// `ndp init` for the capabilities and host service of issue #14: each template builds, passes
// `ndp validate`, and answers `ndp run` the way its comments promise.
const work = mkdtempSync(path.join(tmpdir(), "ndp-frontier-"));

async function scaffold(id: string, flags: string[]) {
  const init = await runNdpJson(["init", id, ...flags], { cwd: work });
  expect(init.code, init.stderr).toBe(0);
  const build = await runNdp(["build", id], { cwd: work });
  expect(build.code, build.stderr).toBe(0);
  const validate = await runNdpJson(["validate", `${id}/dist/${id}.ndp`], { cwd: work });
  expect(validate.json, validate.stderr).toMatchObject({ ok: true, errors: [] });
  return { init: init.json, validate: validate.json, pkg: path.join(work, id, "dist", `${id}.ndp`) };
}

describe("ndp init --capability playlist-provider", () => {
  it("declares users, validates, and offers one playlist per user with a not-found path", async () => {
    const { init, validate, pkg } = await scaffold("my-playlists", ["--capability", "playlist-provider"]);
    expect(init).toMatchObject({ capabilities: ["playlist-provider"], permissions: ["users"] });
    expect(validate.inspection.capabilities).toEqual(["PlaylistProvider"]);
    expect(validate.warnings ?? []).toEqual([]);

    const list = await runNdp(["run", pkg, "nd_playlist_provider_get_available_playlists", "{}", "--user", "ada", "--user", "bob"], { cwd: work });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({
      playlists: [
        { id: "greeting:ada", ownerUsername: "ada" },
        { id: "greeting:bob", ownerUsername: "bob" },
      ],
      refreshInterval: 3600,
      retryInterval: 300,
    });
    const one = await runNdp(["run", pkg, "nd_playlist_provider_get_playlist", '{"id":"greeting:ada"}', "--config", "greeting=Hej"], { cwd: work });
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ name: "Hej from my-playlists", description: "Made for ada", tracks: [{ name: "Whistle", artist: "Demo Artist" }] });
    const gone = await runNdp(["run", pkg, "nd_playlist_provider_get_playlist", '{"id":"nope"}'], { cwd: work });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("playlist_provider(not_found): nope");
  }, 180_000);
});

describe("ndp init --capability http-endpoint", () => {
  it("declares endpoints with native auth (hence users) by default, or auth none on request", async () => {
    const native = await scaffold("my-pages", ["--capability", "http-endpoint"]);
    expect(native.init).toMatchObject({ capabilities: ["http-endpoint"], permissions: ["endpoints", "users"] });
    expect(native.validate.inspection.capabilities).toEqual(["HTTPEndpoint"]);
    const manifest = JSON.parse(readFileSync(path.join(work, "my-pages", "manifest.json"), "utf8"));
    expect(manifest.permissions.endpoints).toMatchObject({ auth: "native", paths: ["/hello", "/echo"] });

    // Its comment's try-it line: served locally, the caller picked among the --users.
    const ndp = await startServingNdp(["run", native.pkg, "--serve", "0", "--user", "ada", "--user", "bob", "--config", "greeting=Hi"], { cwd: work });
    try {
      expect(await (await fetch(`${ndp.url}hello`)).text()).toBe("Hi, ada!");
      expect(await (await fetch(`${ndp.url}hello`, { headers: { "X-Ndp-User": "bob" } })).text()).toBe("Hi, bob!");
      expect((await fetch(`${ndp.url}hello`, { headers: { "X-Ndp-User": "eve" } })).status).toBe(401);
      const echo = await fetch(`${ndp.url}echo`, { method: "POST", headers: { "Content-Type": "text/csv" }, body: "a,b" });
      expect([echo.status, echo.headers.get("content-type"), await echo.text()]).toEqual([200, "text/csv", "a,b"]);
      expect((await fetch(`${ndp.url}nowhere`)).status).toBe(404);
    } finally {
      await ndp.stop();
    }

    // The permission alone brings the capability; auth none needs no users.
    const open = await runNdpJson(["init", "my-hooks", "--permission", "endpoints=none", "--capability", "http-endpoint"], { cwd: work });
    expect(open.json).toMatchObject({ capabilities: ["http-endpoint"], permissions: ["endpoints"] });
    const bad = await runNdp(["init", "x", "--permission", "endpoints=cookie"], { cwd: work });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('endpoints takes native, subsonic or none, not "cookie"');
  }, 180_000);
});

describe("ndp init --permission scrobbleRetriever", () => {
  it("adds users and a recent_plays export that reads the emulated history", async () => {
    const { init, pkg } = await scaffold("my-history", ["--permission", "scrobbleretriever", "--capability", "lifecycle"]);
    expect(init).toMatchObject({ capabilities: ["lifecycle"], permissions: ["scrobbleRetriever", "users"] });
    const known = await runNdp(["run", pkg, "recent_plays", '{"username":"ada"}', "--user", "ada"], { cwd: work });
    expect(known.code, known.stderr).toBe(0);
    expect(JSON.parse(known.stdout)).toEqual([]);
    const unknown = await runNdp(["run", pkg, "recent_plays", '{"username":"zed"}', "--user", "ada"], { cwd: work });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('reading history: scrobbleRetriever: user "zed" not found');
  }, 180_000);
});
