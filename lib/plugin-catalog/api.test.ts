import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCatalog } from "../../scripts/ndp/catalog";
import { AUTH_HEADER, tokenFor } from "../auth/session";
import { db } from "../db/client";
import { bootTestServer } from "../testing/boot-test-server";
import { serveApp } from "../testing/serve-app";
import { createUser } from "../users/users";
import { serveStaticSite, type StaticSite } from "./testing/static-site";
import type { CatalogPluginView, RepositoryView } from "./types";
import * as catalogRoute from "../../app/api/plugin-catalog/route";
import * as repoRoute from "../../app/api/plugin-repository/route";
import * as repoIdRoute from "../../app/api/plugin-repository/[id]/route";
import * as refreshRoute from "../../app/api/plugin-repository/refresh/route";

// The repository and catalog routes: thin, admin only, errors in the one {error, fields?} body.

let web: StaticSite;
let app: { url: string; close: () => Promise<void> };
let admin = "";
let listener = "";

beforeAll(async () => {
  await bootTestServer({ ND_PLUGINS_ALLOWPRIVATEREPOSITORIES: "true", ND_SCANNER_SCANONSTARTUP: "false" });
  const site = mkdtempSync(path.join(tmpdir(), "catalog-api-"));
  mkdirSync(path.join(site, "p"));
  copyFileSync(path.join(import.meta.dirname, "../../build/plugins/test-lyrics.ndp"), path.join(site, "p/test-lyrics.ndp"));
  await buildCatalog({ folder: path.join(site, "p"), out: path.join(site, "catalog.json"), name: "API catalog" });
  web = await serveStaticSite(site);
  admin = await tokenFor(await db().user.findFirstOrThrow({ where: { isAdmin: true } }));
  await createUser({ userName: "listener", password: "listener-pass" });
  listener = await tokenFor(await db().user.findFirstOrThrow({ where: { userName: "listener" } }));
  app = await serveApp([
    ["GET", /^\/api\/plugin-repository$/, repoRoute.GET],
    ["POST", /^\/api\/plugin-repository$/, repoRoute.POST],
    ["POST", /^\/api\/plugin-repository\/refresh$/, refreshRoute.POST],
    ["DELETE", /^\/api\/plugin-repository\/(?<id>[^/]+)$/, repoIdRoute.DELETE],
    ["GET", /^\/api\/plugin-catalog$/, catalogRoute.GET],
  ] as never);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await web?.close();
});

async function call<T = unknown>(method: string, p: string, body?: unknown, token = admin): Promise<{ status: number; body: T }> {
  const res = await fetch(`${app.url}${p}`, { method, headers: { "content-type": "application/json", [AUTH_HEADER]: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: res.status === 204 ? (null as T) : ((await res.json()) as T) };
}

describe("plugin repository and catalog API", () => {
  it("adds, lists, refreshes and removes repositories, and browses their plugins", async () => {
    const added = await call<RepositoryView>("POST", "/api/plugin-repository", { url: `${web.url}/catalog.json` });
    expect(added).toMatchObject({ status: 201, body: { name: "API catalog", source: "admin", pluginCount: 1, lastError: null } });
    expect((await call<RepositoryView[]>("GET", "/api/plugin-repository")).body.map((r) => r.id)).toEqual([added.body.id]);
    const refreshed = await call<RepositoryView[]>("POST", "/api/plugin-repository/refresh", { id: added.body.id });
    expect(refreshed).toMatchObject({ status: 200, body: [{ id: added.body.id, lastError: null }] });
    expect((await call("POST", "/api/plugin-repository/refresh", {})).status).toBe(200);
    const plugins = await call<CatalogPluginView[]>("GET", "/api/plugin-catalog?q=lyrics&capability=Lyrics");
    expect(plugins.body.map((p) => [p.id, p.latest?.version, p.installed])).toEqual([["test-lyrics", "1.0.0", null]]);
    expect((await call<CatalogPluginView[]>("GET", "/api/plugin-catalog?capability=Scrobbler")).body).toEqual([]);
    expect(await call("DELETE", `/api/plugin-repository/${added.body.id}`)).toEqual({ status: 204, body: null });
    expect(await call("DELETE", `/api/plugin-repository/${added.body.id}`)).toEqual({ status: 404, body: { error: `no plugin repository ${added.body.id}` } });
  });

  it("answers bad input in the error body", async () => {
    expect(await call("POST", "/api/plugin-repository", { url: "ftp://example.com/c.json" })).toEqual({ status: 400, body: { error: "only http and https repositories are supported", fields: { url: "must be an http or https URL" } } });
    expect((await call("POST", "/api/plugin-repository", {})).status).toBe(400);
    expect((await call("POST", "/api/plugin-repository/refresh", { id: 424242 })).status).toBe(404);
  });

  it("is for admins only", async () => {
    expect((await call("GET", "/api/plugin-repository", undefined, listener)).status).toBe(403);
    expect((await call("POST", "/api/plugin-repository", { url: `${web.url}/catalog.json` }, listener)).status).toBe(403);
    expect((await call("GET", "/api/plugin-catalog", undefined, listener)).status).toBe(403);
    expect((await call("POST", "/api/plugin-repository/refresh", {}, listener)).status).toBe(403);
    expect((await call("GET", "/api/plugin-repository")).body).toEqual([]);
  });
});
