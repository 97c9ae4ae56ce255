import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCatalog } from "../../scripts/ndp/catalog";
import { signCatalog } from "../../scripts/ndp/sign";
import { insertPlugin, deletePluginRow } from "../db/plugins";
import { AppError } from "../errors";
import type { Clock } from "../server/clock";
import { settings } from "../server/settings";
import { bootTestServer } from "../testing/boot-test-server";
import { findCatalogVersion, listCatalogPlugins } from "./browse";
import { CATALOG_MAX_BYTES } from "./fetch";
import { addRepository, listRepositories, onCatalogRefreshed, refreshRepositories, removeRepository } from "./repositories";
import { CATALOG_REFRESH_MS, CATALOG_RETRY_MS, CATALOG_STARTUP_DELAY_MS, startCatalogRefresher, stopCatalogRefresher } from "./scheduler";
import { generateSigningKey, parsePrivateKey } from "./signature";
import { serveStaticSite, unreachableUrl, type StaticSite } from "./testing/static-site";
import type { Catalog, RepositoryView } from "./types";

// Catalogs built by `ndp catalog` from the real fixture packages, served from 127.0.0.1 by
// the test, fetched through the server's SSRF-safe client into the real SQLite cache.

const built = path.join(import.meta.dirname, "../../build/plugins");
const site = mkdtempSync(path.join(tmpdir(), "catalog-site-"));
let web: StaticSite;
let main: RepositoryView;
const catalogFile = path.join(site, "catalog.json");
const readCatalog = (): Catalog => JSON.parse(readFileSync(catalogFile, "utf8"));
const writeCatalog = (c: Catalog) => writeFileSync(catalogFile, JSON.stringify(c, null, 2));

/** A clock whose timers fire only when the test advances it. */
class ManualClock implements Clock {
  private t = Date.now();
  private timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  now = () => new Date(this.t);
  setTimer(fn: () => void, ms: number) {
    const timer = { at: this.t + ms, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }
  advance(ms: number): void {
    const until = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => !x.cancelled && x.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = until;
  }
}

const nextRefresh = () => new Promise<RepositoryView[]>((resolve) => { const off = onCatalogRefreshed((r) => { off(); resolve(r); }); });

async function appError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("did not throw");
}

beforeAll(async () => {
  await bootTestServer({ ND_PLUGINS_ALLOWPRIVATEREPOSITORIES: "true", ND_SCANNER_SCANONSTARTUP: "false" });
  mkdirSync(path.join(site, "packages"));
  for (const id of ["test-http", "test-cache", "test-lyrics"]) copyFileSync(path.join(built, `${id}.ndp`), path.join(site, "packages", `${id}.ndp`));
  await buildCatalog({ folder: path.join(site, "packages"), out: catalogFile, name: "Fixture catalog" });
  web = await serveStaticSite(site);
  main = await addRepository(`${web.url}/catalog.json`);
}, 120_000);
afterAll(() => web?.close());

describe("repositories", () => {
  it("fetches and caches an added catalog, with package URLs resolved against it", async () => {
    expect(main).toMatchObject({ source: "admin", name: "Fixture catalog", pluginCount: 3, lastError: null });
    expect(main.lastFetchedAt).not.toBeNull();
    const plugins = await listCatalogPlugins();
    // Sorted by name: "Test Cache", "Test HTTP", "Test Lyrics".
    expect(plugins.map((p) => p.id)).toEqual(["test-cache", "test-http", "test-lyrics"]);
    const http = plugins.find((p) => p.id === "test-http")!;
    expect(http.repository).toEqual({ id: main.id, url: `${web.url}/catalog.json`, name: "Fixture catalog" });
    expect(http.latest).toMatchObject({ version: "1.0.0", compatible: true, signatureStatus: "unsigned", minApi: "v0.61.0", permissions: ["http"] });
    expect(http.latest!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(http.installed).toBeNull();
    const resolved = await findCatalogVersion("test-http");
    expect(resolved!.packageUrl).toBe(`${web.url}/packages/test-http.ndp`);
    // The URL serves exactly the file the catalog describes.
    const pkg = Buffer.from(await (await fetch(resolved!.packageUrl)).arrayBuffer());
    expect(pkg.byteLength).toBe(resolved!.version.size);
    expect(await findCatalogVersion("no-such-plugin")).toBeNull();
    expect((await findCatalogVersion("test-http", undefined, { repositoryId: main.id }))!.repository.id).toBe(main.id);
    expect(await findCatalogVersion("test-http", undefined, { repositoryId: main.id + 1000 })).toBeNull();
  });

  it("revalidates with the ETag and keeps the cached catalog when nothing changed", async () => {
    const before = web.requests.get("/catalog.json")!.notModified;
    const [view] = await refreshRepositories({ id: main.id });
    expect(web.requests.get("/catalog.json")!.notModified).toBe(before + 1);
    expect(view).toMatchObject({ pluginCount: 3, lastError: null });
  });

  it("shows a broken or unreachable catalog with its error and never blocks the others", async () => {
    const down = await addRepository(await unreachableUrl());
    expect(down.lastError).toMatch(/connection refused/);
    expect(down.pluginCount).toBe(0);
    web.overrides.set("/broken.json", { status: 200, body: JSON.stringify({ schemaVersion: 1, name: "x", plugins: [{ id: "a", name: "A", versions: [{ version: "1", url: "a.ndp", sha256: "xyz", size: 1 }] }] }) });
    web.overrides.set("/huge.json", { status: 200, body: Buffer.alloc(CATALOG_MAX_BYTES + 1, 0x20) });
    web.overrides.set("/gone.json", { status: 500, body: "{}" });
    const broken = await addRepository(`${web.url}/broken.json`);
    const huge = await addRepository(`${web.url}/huge.json`);
    const gone = await addRepository(`${web.url}/gone.json`);
    expect(broken.lastError).toBe("invalid catalog: plugins[0].versions[0].sha256: must be 64 lowercase hex digits");
    expect(huge.lastError).toBe("catalog is larger than 1 MiB");
    expect(gone.lastError).toBe(`HTTP 500 from ${web.url}/gone.json`);

    const all = await refreshRepositories();
    const byId = new Map(all.map((r) => [r.id, r]));
    expect(byId.get(main.id)).toMatchObject({ lastError: null, pluginCount: 3 });
    expect(byId.get(down.id)!.lastError).toMatch(/connection refused/);
    expect((await listCatalogPlugins()).filter((p) => p.repository.id === main.id)).toHaveLength(3);

    // A catalog that breaks later keeps its last good copy, and says why it is stale.
    const lastGood = (await listRepositories()).find((r) => r.id === main.id)!.lastFetchedAt;
    web.overrides.set("/catalog.json", { status: 503, body: "" });
    const [stale] = await refreshRepositories({ id: main.id });
    expect(stale).toEqual({ ...main, pluginCount: 3, lastError: `HTTP 503 from ${web.url}/catalog.json`, lastFetchedAt: lastGood });
    expect(await listCatalogPlugins({ q: "test-http" })).toHaveLength(1);
    web.overrides.delete("/catalog.json");
    expect((await refreshRepositories({ id: main.id }))[0].lastError).toBeNull();

    for (const r of [down, broken, huge, gone]) await removeRepository(r.id);
    expect((await listRepositories()).map((r) => r.id)).toEqual([main.id]);
  });

  it("refuses loopback and private catalogs unless Plugins.AllowPrivateRepositories is on", async () => {
    const plugins = settings().Plugins;
    plugins.AllowPrivateRepositories = false;
    try {
      const refused = await appError(addRepository(`${web.url}/catalog.json?again`));
      expect(refused.code).toBe("INVALID_INPUT");
      expect(refused.message).toMatch(/127\.0\.0\.1 is a private or loopback address; set Plugins.AllowPrivateRepositories = true/);
      // One added while allowed is refused by the client at the next fetch (also behind a name or a redirect).
      const [view] = await refreshRepositories({ id: main.id });
      expect(view.lastError).toMatch(/is not allowed: private\/loopback addresses need Plugins.AllowPrivateRepositories = true/);
      expect(view.pluginCount).toBe(3);
    } finally {
      plugins.AllowPrivateRepositories = true;
    }
    expect((await refreshRepositories({ id: main.id }))[0].lastError).toBeNull();
  });

  it("lists configured repositories as not removable, and refuses duplicates and non-http URLs", async () => {
    const plugins = settings().Plugins;
    plugins.Repositories = [`${web.url}/mirror/catalog.json`];
    try {
      const configured = (await listRepositories()).find((r) => r.source === "config")!;
      expect(configured.url).toBe(`${web.url}/mirror/catalog.json`);
      expect((await appError(removeRepository(configured.id))).code).toBe("CONFLICT");
      expect((await appError(addRepository(`${web.url}/mirror/catalog.json`))).code).toBe("CONFLICT");
    } finally {
      plugins.Repositories = [];
    }
    expect((await listRepositories()).some((r) => r.source === "config")).toBe(false);
    expect((await appError(addRepository(`${web.url}/catalog.json`))).code).toBe("CONFLICT");
    expect((await appError(addRepository("file:///etc/passwd"))).code).toBe("INVALID_INPUT");
    expect((await appError(removeRepository(99999))).code).toBe("NOT_FOUND");
  });
});

describe("browse", () => {
  it("merges the installed version and offers the newest compatible version as an update", async () => {
    await insertPlugin({ id: "test-http", path: "/nowhere/test-http.ndp", manifest: JSON.stringify({ name: "Test HTTP", author: "x", version: "0.9.0" }), sha256: "0".repeat(64) });
    try {
      const c = readCatalog();
      const http = c.plugins.find((p) => p.id === "test-http")!;
      // 2.0.0 needs a newer Navidrome than this server: shown, never offered.
      http.versions.unshift({ ...http.versions[0], version: "2.0.0", minApi: "v99.0.0" });
      writeCatalog(c);
      await refreshRepositories({ id: main.id });
      const [view] = await listCatalogPlugins({ q: "TEST HTTP" });
      expect(view.installed).toEqual({ version: "0.9.0" });
      expect(view.versions.map((v) => [v.version, v.compatible])).toEqual([["2.0.0", false], ["1.0.0", true]]);
      expect(view.versions[0].compatibilityNote).toMatch(/needs the plugin API of Navidrome v99.0.0/);
      expect(view.latest!.version).toBe("1.0.0");
      expect(view.updateAvailable).toBe("1.0.0");
      expect((await findCatalogVersion("test-http"))!.version.version).toBe("1.0.0");
      // Asked for explicitly, the incompatible version is found, with the reason.
      expect((await findCatalogVersion("test-http", "2.0.0"))!.version).toMatchObject({ compatible: false, version: "2.0.0" });
      expect((await listCatalogPlugins()).find((p) => p.id === "test-cache")!.updateAvailable).toBeNull();
    } finally {
      await deletePluginRow("test-http");
    }
  });

  it("filters by text and capability", async () => {
    expect((await listCatalogPlugins({ q: "lyrics" })).map((p) => p.id)).toEqual(["test-lyrics"]);
    const lyricsCaps = (await listCatalogPlugins({ q: "test-lyrics" }))[0].latest!.capabilities!;
    expect(lyricsCaps).toContain("Lyrics");
    expect((await listCatalogPlugins({ capability: "lyrics" })).map((p) => p.id)).toEqual(["test-lyrics"]);
    expect(await listCatalogPlugins({ capability: "Scrobbler" })).toEqual([]);
  });

  it("shows each version's signature status against Plugins.TrustedKeys", async () => {
    const author = generateSigningKey();
    const { catalog } = signCatalog(readCatalog(), parsePrivateKey(author.privateKeyPem));
    // test-cache's hash is changed after signing: its signature no longer matches.
    const cache = catalog.plugins.find((p) => p.id === "test-cache")!;
    cache.versions[0] = { ...cache.versions[0], sha256: "f".repeat(64) };
    // test-lyrics stays unsigned.
    const lyrics = catalog.plugins.find((p) => p.id === "test-lyrics")!;
    lyrics.versions = lyrics.versions.map(({ signature: _, ...v }) => v);
    writeCatalog(catalog);
    await refreshRepositories({ id: main.id });
    const status = async () => Object.fromEntries((await listCatalogPlugins()).map((p) => [p.id, p.versions.map((v) => v.signatureStatus)[p.versions.length - 1]]));
    expect(await status()).toEqual({ "test-http": "untrusted-key", "test-cache": "bad-signature", "test-lyrics": "unsigned" });
    settings().Plugins.TrustedKeys = [author.publicKey];
    try {
      expect(await status()).toEqual({ "test-http": "trusted", "test-cache": "bad-signature", "test-lyrics": "unsigned" });
      expect((await findCatalogVersion("test-http"))!.version.signatureStatus).toBe("trusted");
    } finally {
      settings().Plugins.TrustedKeys = [];
    }
  });
});

describe("daily refresh", () => {
  it("fetches each catalog again once a day on the injected clock, and tells the listeners", async () => {
    stopCatalogRefresher();
    const clock = new ManualClock();
    const refresher = startCatalogRefresher(clock);
    try {
      const fetches = () => web.requests.get("/catalog.json")!.total;
      const c = readCatalog();
      c.plugins.find((p) => p.id === "test-cache")!.versions.unshift({ ...c.plugins[0].versions[0], version: "1.1.0" });
      writeCatalog(c);
      // The start-up check finds the catalog fresh (fetched moments ago): nothing is fetched.
      const before = fetches();
      clock.advance(CATALOG_STARTUP_DELAY_MS);
      await refresher.idle();
      expect(fetches()).toBe(before);
      expect(refresher.nextRunAt!.getTime()).toBeGreaterThan(clock.now().getTime() + CATALOG_REFRESH_MS / 2);
      // A day later it is due.
      const refreshed = nextRefresh();
      clock.advance(CATALOG_REFRESH_MS);
      expect((await refreshed).map((r) => r.id)).toEqual([main.id]);
      expect(fetches()).toBe(before + 1);
      expect((await listCatalogPlugins({ q: "test-cache" }))[0].latest!.version).toBe("1.1.0");
    } finally {
      stopCatalogRefresher();
    }
  });

  it("tries a failed catalog again after an hour, not in a loop, and not the healthy ones", async () => {
    stopCatalogRefresher();
    web.overrides.set("/flaky.json", { status: 502, body: "" });
    const flaky = await addRepository(`${web.url}/flaky.json`);
    const clock = new ManualClock();
    const refresher = startCatalogRefresher(clock);
    try {
      const hits = () => web.requests.get("/flaky.json")!.total;
      const mainHits = () => web.requests.get("/catalog.json")!.total;
      const [flakyBefore, mainBefore] = [hits(), mainHits()];
      // Start-up: never fetched successfully and not yet tried by the scheduler, so it is due.
      let refreshed = nextRefresh();
      clock.advance(CATALOG_STARTUP_DELAY_MS);
      expect((await refreshed).map((r) => [r.id, r.lastError])).toEqual([[flaky.id, `HTTP 502 from ${web.url}/flaky.json`]]);
      await refresher.idle();
      expect([hits(), mainHits()]).toEqual([flakyBefore + 1, mainBefore]);
      expect(refresher.nextRunAt!.getTime() - clock.now().getTime()).toBe(CATALOG_RETRY_MS);
      web.overrides.delete("/flaky.json");
      writeFileSync(path.join(site, "flaky.json"), JSON.stringify({ schemaVersion: 1, name: "Flaky", plugins: [] }));
      refreshed = nextRefresh();
      clock.advance(CATALOG_RETRY_MS);
      expect((await refreshed).map((r) => [r.id, r.lastError, r.name])).toEqual([[flaky.id, null, "Flaky"]]);
      expect(mainHits()).toBe(mainBefore);
    } finally {
      stopCatalogRefresher();
      await removeRepository(flaky.id);
    }
  });
});
