import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH_HEADER, tokenFor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { findPlugin } from "@/lib/db/plugins";
import { lyricsPackage, serveCatalogSite, sha256 } from "@/lib/plugin-lifecycle/testing/catalog-site";
import { pluginManager } from "@/lib/plugins";
import { bootTestServer } from "@/lib/testing/boot-test-server";
import { serveApp } from "@/lib/testing/serve-app";
import { createUser } from "@/lib/users/users";
import * as loginRoute from "../../app/auth/login/route";
import * as pluginRoute from "../../app/api/plugin/[id]/route";
import * as updateRoute from "../../app/api/plugin/[id]/update/route";
import * as approveRoute from "../../app/api/plugin/[id]/update/approve/route";
import * as historyRoute from "../../app/api/plugin/[id]/history/route";
import * as rollbackRoute from "../../app/api/plugin/[id]/rollback/route";
import * as installRoute from "../../app/api/plugin-catalog/install/route";
import * as catalogRoute from "../../app/api/plugin-catalog/route";
import * as repoRoute from "../../app/api/plugin-repository/route";
import * as repoIdRoute from "../../app/api/plugin-repository/[id]/route";
import * as refreshRoute from "../../app/api/plugin-repository/refresh/route";
import { freePort, runPluginCli as cli } from "./cli-process";

/**
 * The catalog and lifecycle commands through the real CLI process (`node scripts/plugin-cli.mjs`):
 * offline on a temporary DataFolder, and against this process's server (the real routes,
 * served on 127.0.0.1), both fed by a catalog this test serves from 127.0.0.1.
 */

type Site = Awaited<ReturnType<typeof serveCatalogSite>>;
let site: Site;

beforeAll(async () => {
  site = await serveCatalogSite();
});
afterAll(async () => {
  await site.close();
});

describe("offline: the lifecycle commands on the DataFolder", () => {
  const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-cli-lifecycle-data-"));
  const pluginsFolder = mkdtempSync(path.join(tmpdir(), "tessitura-cli-lifecycle-plugins-"));
  let env: Record<string, string>;
  const run = (...args: string[]) => cli([...args, "--offline"], env);

  beforeAll(async () => {
    env = { ND_DATAFOLDER: dataFolder, ND_PLUGINS_FOLDER: pluginsFolder, ND_PORT: String(await freePort()), ND_PLUGINS_ALLOWPRIVATEREPOSITORIES: "true" };
  });

  it("repo add / list, search, install, update (applied, staged, discarded, approved), history, rollback, repo remove", async () => {
    const v1 = site.publish("cli-1.0.0.ndp", lyricsPackage("1.0.0"));
    site.setPlugins([{ id: "lyrics-cli", versions: [v1] }]);

    const added = await run("repo", "add", site.catalogUrl);
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("Added repository 1: Test catalog (1 plugins)");
    const list = await run("repo", "list");
    expect(list.stdout).toMatch(/^ID\s+NAME\s+SOURCE\s+PLUGINS\s+FETCHED\s+URL$/m);
    expect(list.stdout).toMatch(new RegExp(`^1\\s+Test catalog\\s+admin\\s+1\\s+\\S+ \\S+\\s+${site.catalogUrl.replace(/[.]/g, "\\.")}$`, "m"));

    const search = JSON.parse((await run("search", "lyrics", "--json")).stdout);
    expect(search).toMatchObject([{ id: "lyrics-cli", latest: { version: "1.0.0" }, installed: null }]);

    const install = await run("install", "lyrics-cli");
    expect(install.code).toBe(0);
    expect(install.stdout).toContain("lyrics-cli 1.0.0 installed");
    expect(install.stdout).toContain("disabled");
    expect(sha256(readFileSync(path.join(pluginsFolder, "lyrics-cli.ndp")))).toBe(v1.sha256);
    expect((await run("enable", "lyrics-cli")).code).toBe(0);

    const v11 = site.publish("cli-1.1.0.ndp", lyricsPackage("1.1.0"), { releaseNotes: "Small fixes." });
    site.setPlugins([{ id: "lyrics-cli", versions: [v11, v1] }]);
    expect((await run("repo", "refresh")).code).toBe(0);
    const check = await run("update", "lyrics-cli", "--check");
    expect(check.stdout).toContain("Available: 1.1.0 (signature: unsigned)");
    expect(check.stdout).toContain("Release notes: Small fixes.");
    expect(check.stdout).toContain("(no permission changes)");
    const applied = await run("update", "lyrics-cli");
    expect(applied.stdout).toBe("lyrics-cli: updated to 1.1.0 (settings kept)\n");

    const v2 = site.publish("cli-2.0.0.ndp", lyricsPackage("2.0.0", { http: { requiredHosts: ["lyrics.example"] } }));
    site.setPlugins([{ id: "lyrics-cli", versions: [v2, v11, v1] }]);
    await run("repo", "refresh", "1");
    const staged = await run("update", "lyrics-cli");
    expect(staged.code).toBe(0);
    expect(staged.stdout).toContain("lyrics-cli: 2.0.0 asks for new permissions and is staged; the installed version keeps running.");
    expect(staged.stdout).toContain("+ permission http");
    expect(staged.stdout).toContain("+ host lyrics.example");
    expect(sha256(readFileSync(path.join(pluginsFolder, "lyrics-cli.ndp")))).toBe(v11.sha256);
    expect((await run("update", "lyrics-cli", "--discard")).stdout).toBe("lyrics-cli: staged update discarded\n");
    expect(existsSync(path.join(dataFolder, "plugin-packages", "lyrics-cli", "pending.ndp"))).toBe(false);
    await run("update", "lyrics-cli");
    const approved = await run("update", "lyrics-cli", "--approve");
    expect(approved.stdout).toBe("lyrics-cli: updated to 2.0.0 (new permissions approved)\n");
    expect(sha256(readFileSync(path.join(pluginsFolder, "lyrics-cli.ndp")))).toBe(v2.sha256);

    const history = JSON.parse((await run("history", "lyrics-cli", "--json")).stdout) as { version: string; current: boolean }[];
    expect(history.map((e) => [e.version, e.current])).toEqual([
      ["2.0.0", true],
      ["1.1.0", false],
      ["1.0.0", false],
    ]);

    const rolled = await run("rollback", "lyrics-cli", "1.0.0");
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toContain("lyrics-cli: rolled back to 1.0.0");
    expect(sha256(readFileSync(path.join(pluginsFolder, "lyrics-cli.ndp")))).toBe(v1.sha256);
    const bySha = await run("rollback", "lyrics-cli", v2.sha256.slice(0, 10));
    expect(bySha.stdout).toContain("rolled back to 2.0.0");

    expect((await run("repo", "remove", site.catalogUrl)).stdout).toBe("Removed repository 1\n");
    expect(JSON.parse((await run("repo", "list", "--json")).stdout)).toEqual([]);
  }, 600_000);

  it("refuses a package whose sha256 does not match, leaving the plugins folder alone", async () => {
    const bytes = lyricsPackage("1.0.0");
    site.setPlugins([{ id: "lyrics-bad", versions: [{ ...site.publish("bad.ndp", bytes), sha256: "a".repeat(64) }] }]);
    await run("repo", "add", site.catalogUrl);
    await run("repo", "refresh");
    const r = await run("install", "lyrics-bad");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: package sha256 mismatch: expected ${"a".repeat(64)}, got ${sha256(bytes)}\n`);
    expect(existsSync(path.join(pluginsFolder, "lyrics-bad.ndp"))).toBe(false);
  }, 120_000);

  it("reports an unreachable catalog with exit code 1", async () => {
    const port = await freePort();
    const r = await run("repo", "add", `http://127.0.0.1:${port}/catalog.json`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("but its catalog could not be read:");
  }, 120_000);

  it.each([
    [["update", "x", "--approve", "--discard"], "use only one of --version, --check, --approve and --discard"],
    [["list", "--version", "1"], "list takes no --version option"],
    [["rollback", "x"], "usage: rollback <id> <sha256|version>"],
  ])("refuses the command line %j with exit code 2", async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  }, 60_000);
});

describe("server: the same commands through a running server's routes", () => {
  let app: { url: string; close: () => Promise<void> };
  let password = "";
  const run = (...args: string[]) => cli([...args, "--server", app.url, "--user", "admin", "--password", password]);

  beforeAll(async () => {
    const booted = await bootTestServer({ ND_PLUGINS_ALLOWPRIVATEREPOSITORIES: "true", ND_SCANNER_SCANONSTARTUP: "false" });
    password = booted.adminPassword;
    app = await serveApp([
      ["POST", /^\/auth\/login$/, loginRoute.POST],
      ["GET", /^\/api\/plugin\/(?<id>[^/]+)$/, pluginRoute.GET],
      ["GET", /^\/api\/plugin\/(?<id>[^/]+)\/update$/, updateRoute.GET],
      ["POST", /^\/api\/plugin\/(?<id>[^/]+)\/update$/, updateRoute.POST],
      ["DELETE", /^\/api\/plugin\/(?<id>[^/]+)\/update$/, updateRoute.DELETE],
      ["POST", /^\/api\/plugin\/(?<id>[^/]+)\/update\/approve$/, approveRoute.POST],
      ["GET", /^\/api\/plugin\/(?<id>[^/]+)\/history$/, historyRoute.GET],
      ["POST", /^\/api\/plugin\/(?<id>[^/]+)\/rollback$/, rollbackRoute.POST],
      ["POST", /^\/api\/plugin-catalog\/install$/, installRoute.POST],
      ["GET", /^\/api\/plugin-catalog$/, catalogRoute.GET],
      ["GET", /^\/api\/plugin-repository$/, repoRoute.GET],
      ["POST", /^\/api\/plugin-repository$/, repoRoute.POST],
      ["POST", /^\/api\/plugin-repository\/refresh$/, refreshRoute.POST],
      ["DELETE", /^\/api\/plugin-repository\/(?<id>[^/]+)$/, repoIdRoute.DELETE],
    ] as never);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it("installs, stages and approves an update, rolls back; the server's plugin keeps running the old version while staged", async () => {
    const v1 = site.publish("srv-1.0.0.ndp", lyricsPackage("1.0.0"));
    site.setPlugins([{ id: "lyrics-srv", versions: [v1] }]);
    expect((await run("repo", "add", site.catalogUrl)).code).toBe(0);
    const install = await run("install", "lyrics-srv", "--json");
    expect(install.code).toBe(0);
    expect(JSON.parse(install.stdout)).toMatchObject({ pluginId: "lyrics-srv", version: "1.0.0", sha256: v1.sha256, source: "catalog", current: true });
    const manager = pluginManager()!;
    await manager.enable("lyrics-srv");

    const v2 = site.publish("srv-2.0.0.ndp", lyricsPackage("2.0.0", { kvstore: {} }));
    site.setPlugins([{ id: "lyrics-srv", versions: [v2, v1] }]);
    await run("repo", "refresh");
    const staged = await run("update", "lyrics-srv", "--json");
    expect(JSON.parse(staged.stdout)).toEqual({ pluginId: "lyrics-srv", version: "2.0.0", applied: false, pending: true });
    expect(manager.loadedPlugin("lyrics-srv")!.manifest.version).toBe("1.0.0");
    expect(JSON.parse((await run("update", "lyrics-srv", "--check", "--json")).stdout)).toMatchObject({ pending: { version: "2.0.0", diff: { added: ["kvstore"], requiresApproval: true } } });

    expect((await run("update", "lyrics-srv", "--approve")).stdout).toBe("lyrics-srv: updated to 2.0.0 (new permissions approved)\n");
    expect(manager.loadedPlugin("lyrics-srv")!.manifest.version).toBe("2.0.0");
    expect((await run("rollback", "lyrics-srv", v1.sha256)).code).toBe(0);
    // The older package asks for less: the plugin stays enabled, on the old version, settings kept.
    expect(await findPlugin("lyrics-srv")).toMatchObject({ sha256: v1.sha256, enabled: true });
    expect(manager.loadedPlugin("lyrics-srv")!.manifest.version).toBe("1.0.0");
    expect(JSON.parse((await run("history", "lyrics-srv", "--json")).stdout).map((e: { version: string; source: string }) => `${e.version}/${e.source}`)).toEqual(["1.0.0/rollback", "2.0.0/catalog"]);
  }, 600_000);

  it("the lifecycle routes are admin only and answer the {error} body", async () => {
    await createUser({ userName: "listener", password: "listener-pass" });
    const listener = await tokenFor(await db().user.findFirstOrThrow({ where: { userName: "listener" } }));
    const admin = await tokenFor(await db().user.findFirstOrThrow({ where: { isAdmin: true } }));
    const call = (method: string, p: string, token: string, body?: unknown) =>
      fetch(`${app.url}${p}`, { method, headers: { "content-type": "application/json", [AUTH_HEADER]: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const [method, p, body] of [
      ["POST", "/api/plugin-catalog/install", { pluginId: "lyrics-srv" }],
      ["GET", "/api/plugin/lyrics-srv/update", undefined],
      ["POST", "/api/plugin/lyrics-srv/update", {}],
      ["DELETE", "/api/plugin/lyrics-srv/update", undefined],
      ["POST", "/api/plugin/lyrics-srv/update/approve", undefined],
      ["GET", "/api/plugin/lyrics-srv/history", undefined],
      ["POST", "/api/plugin/lyrics-srv/rollback", { version: "1.0.0" }],
    ] as const) {
      const res = await call(method, p, listener, body);
      expect([p, res.status, await res.json()]).toEqual([p, 403, { error: "admin only" }]);
    }
    const missing = await call("GET", "/api/plugin/nope/history", admin);
    expect([missing.status, await missing.json()]).toEqual([404, { error: "Plugin not found" }]);
    const noTarget = await call("POST", "/api/plugin/lyrics-srv/rollback", admin, {});
    expect(noTarget.status).toBe(400);
    const dup = await call("POST", "/api/plugin-catalog/install", admin, { pluginId: "lyrics-srv" });
    expect([dup.status, await dup.json()]).toEqual([409, { error: 'a plugin with id "lyrics-srv" is already installed; update it instead' }]);
  });
});
