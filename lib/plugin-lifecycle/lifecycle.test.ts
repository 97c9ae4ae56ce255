import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPlugin, updatePlugin } from "../db/plugins";
import { installUploadedPackage } from "../plugin-admin/packages";
import { addRepository, refreshRepositories } from "../plugin-catalog/repositories";
import { generateSigningKey, parsePrivateKey, signVersion } from "../plugin-catalog/signature";
import type { CatalogVersion } from "../plugin-catalog/types";
import { pluginManager, type PluginManager } from "../plugins";
import { settings } from "../server/settings";
import { bootTestServer } from "../testing/boot-test-server";
import { lyricsPackage, serveCatalogSite, sha256 } from "./testing/catalog-site";
import { installFromCatalog } from "./install";
import { rollbackPlugin } from "./rollback";
import { pluginHistory } from "./store";
import { approvePendingUpdate, discardPendingUpdate, updateFromCatalog, updateView } from "./update";

/**
 * The lifecycle end to end: a catalog and its packages served from 127.0.0.1 by the test,
 * real packages (build/plugins/test-lyrics.ndp with rewritten manifests), the real plugin
 * manager and SQLite. Each test uses its own plugin ids.
 */

let site: Awaited<ReturnType<typeof serveCatalogSite>>;
let manager: PluginManager;
let dataFolder = "";
let pluginsFolder = "";
const signer = generateSigningKey();
const signingKey = parsePrivateKey(signer.privateKeyPem);
const otherKey = parsePrivateKey(generateSigningKey().privateKeyPem);
const sha = sha256;
const publish = (name: string, bytes: Buffer, extra: Partial<CatalogVersion> = {}) => site.publish(name, bytes, extra);

/** Serves these plugins in the catalog and refreshes it (auto-update, when on, runs before this returns). */
async function setCatalog(plugins: { id: string; versions: CatalogVersion[] }[]): Promise<void> {
  site.setPlugins(plugins);
  await refreshRepositories();
}

/** Every file of the plugins folder with its hash: "untouched" means this does not change. */
function folderSnapshot(): Record<string, string> {
  return Object.fromEntries(readdirSync(pluginsFolder).map((f) => [f, sha(readFileSync(path.join(pluginsFolder, f)))]));
}

const tmpLeftovers = () => {
  const dir = path.join(dataFolder, "plugin-downloads");
  return existsSync(dir) ? readdirSync(dir) : [];
};

async function errorOf(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error("expected a failure");
}

const lyricsInput = { track: { id: "t1", title: "Song", artist: "Band", album: "", albumArtist: "", duration: 1, artists: [], albumArtists: [] } };

beforeAll(async () => {
  site = await serveCatalogSite();
  pluginsFolder = mkdtempSync(path.join(tmpdir(), "tessitura-lifecycle-plugins-"));
  const booted = await bootTestServer({
    ND_PLUGINS_FOLDER: pluginsFolder,
    ND_PLUGINS_ALLOWPRIVATEREPOSITORIES: "true",
    ND_PLUGINS_TRUSTEDKEYS: signer.publicKey,
  });
  dataFolder = booted.dataFolder;
  manager = pluginManager()!;
  await addRepository(site.catalogUrl);
});

afterAll(async () => {
  await site.close();
});

describe("install from a catalog", () => {
  it("downloads, verifies and installs the package disabled, and keeps it (0600) in the history", async () => {
    const v1 = publish("install-1.0.0.ndp", lyricsPackage("1.0.0"));
    await setCatalog([{ id: "lyrics-install", versions: [v1] }]);
    const result = await installFromCatalog(manager, { pluginId: "lyrics-install" });
    expect(result).toMatchObject({ pluginId: "lyrics-install", version: "1.0.0", sha256: v1.sha256, source: "catalog", current: true });
    const record = (await findPlugin("lyrics-install"))!;
    expect(record).toMatchObject({ enabled: false, sha256: v1.sha256, path: path.join(pluginsFolder, "lyrics-install.ndp") });
    const kept = path.join(dataFolder, "plugin-packages", "lyrics-install", `${v1.sha256}.ndp`);
    expect(sha(readFileSync(kept))).toBe(v1.sha256);
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(kept)).mode & 0o777).toBe(0o700);
    expect(tmpLeftovers()).toEqual([]);
    // Installed once: a second install is refused, the update path is the way.
    expect((await errorOf(installFromCatalog(manager, { pluginId: "lyrics-install" }))).message).toContain("already installed");
  });

  it("an unknown plugin or version is not found", async () => {
    expect((await errorOf(installFromCatalog(manager, { pluginId: "no-such-plugin" }))).message).toBe("a compatible version of no-such-plugin is not in any plugin catalog");
    expect((await errorOf(installFromCatalog(manager, { pluginId: "lyrics-install", version: "9.9.9" }))).message).toBe("lyrics-install 9.9.9 is not in any plugin catalog");
  });
});

describe("integrity: nothing touches the plugins folder before the package is verified", () => {
  it("a bad sha256 is refused and the plugins folder is byte-identical", async () => {
    const good = publish("badsha.ndp", lyricsPackage("1.0.0"));
    await setCatalog([{ id: "lyrics-badsha", versions: [{ ...good, sha256: "0".repeat(64) }] }]);
    const before = folderSnapshot();
    const err = await errorOf(installFromCatalog(manager, { pluginId: "lyrics-badsha" }));
    expect(err.message).toBe(`package sha256 mismatch: expected ${"0".repeat(64)}, got ${good.sha256}`);
    expect(folderSnapshot()).toEqual(before);
    expect(await findPlugin("lyrics-badsha")).toBeNull();
    expect(tmpLeftovers()).toEqual([]);
  });

  it("a package larger than declared is cut off at the declared size and refused; a smaller one too", async () => {
    const bytes = lyricsPackage("1.0.0");
    const v = publish("size.ndp", bytes);
    const before = folderSnapshot();
    await setCatalog([{ id: "lyrics-size", versions: [{ ...v, size: bytes.length - 100 }] }]);
    expect((await errorOf(installFromCatalog(manager, { pluginId: "lyrics-size" }))).message).toBe(`package size mismatch: expected ${bytes.length - 100} bytes, got more`);
    await setCatalog([{ id: "lyrics-size", versions: [{ ...v, size: bytes.length + 100 }] }]);
    expect((await errorOf(installFromCatalog(manager, { pluginId: "lyrics-size" }))).message).toBe(`package size mismatch: expected ${bytes.length + 100} bytes, got ${bytes.length}`);
    expect(folderSnapshot()).toEqual(before);
    expect(tmpLeftovers()).toEqual([]);
  });

  it("a package that is not a valid .ndp is refused after its hash checks out", async () => {
    const junk = Buffer.from("not a zip at all");
    site.serve("/pkg/junk.ndp", junk);
    await setCatalog([{ id: "lyrics-junk", versions: [{ version: "1.0.0", url: "pkg/junk.ndp", sha256: sha(junk), size: junk.length }] }]);
    const before = folderSnapshot();
    expect((await errorOf(installFromCatalog(manager, { pluginId: "lyrics-junk" }))).message).toBe("opening package: zip: not a valid zip file");
    expect(folderSnapshot()).toEqual(before);
  });

  it("Plugins.RequireSignature refuses unsigned and bad signatures and accepts a trusted one", async () => {
    const bytes = lyricsPackage("1.0.0");
    const v = publish("signed.ndp", bytes);
    const trusted = { ...v, signature: signVersion("lyrics-signed", v, signingKey) };
    // Signed with the trusted key's id but over another message: the trusted key does not verify it.
    const forged = { ...v, signature: { keyId: trusted.signature.keyId, value: signVersion("lyrics-signed", { ...v, sha256: "1".repeat(64) }, signingKey).value } };
    const other = { ...v, signature: signVersion("lyrics-signed", v, otherKey) };
    settings().Plugins.RequireSignature = true;
    try {
      const before = folderSnapshot();
      await setCatalog([{ id: "lyrics-signed", versions: [v] }]);
      expect((await errorOf(installFromCatalog(manager, { pluginId: "lyrics-signed" }))).message).toBe("package signature is unsigned; Plugins.RequireSignature refuses it");
      await setCatalog([{ id: "lyrics-signed", versions: [forged] }]);
      expect((await errorOf(installFromCatalog(manager, { pluginId: "lyrics-signed" }))).message).toBe("package signature is bad-signature; Plugins.RequireSignature refuses it");
      await setCatalog([{ id: "lyrics-signed", versions: [other] }]);
      expect((await errorOf(installFromCatalog(manager, { pluginId: "lyrics-signed" }))).message).toBe("package signature is untrusted-key; Plugins.RequireSignature refuses it");
      expect(folderSnapshot()).toEqual(before);
      await setCatalog([{ id: "lyrics-signed", versions: [trusted] }]);
      expect(await installFromCatalog(manager, { pluginId: "lyrics-signed" })).toMatchObject({ version: "1.0.0", sha256: v.sha256 });
    } finally {
      settings().Plugins.RequireSignature = false;
    }
  });

  it("an unreachable catalog is reported and its plugins cannot be installed; an unreachable package host fails the install", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const dead = await addRepository(`http://127.0.0.1:${deadPort}/catalog.json`);
    const views = await refreshRepositories({ id: dead.id });
    expect(views[0].lastError).toBeTruthy();
    expect((await errorOf(installFromCatalog(manager, { pluginId: "lyrics-nowhere" }))).message).toContain("is not in any plugin catalog");

    const bytes = lyricsPackage("1.0.0");
    await setCatalog([{ id: "lyrics-deadpkg", versions: [{ version: "1.0.0", url: `http://127.0.0.1:${deadPort}/p.ndp`, sha256: sha(bytes), size: bytes.length }] }]);
    const before = folderSnapshot();
    const err = await errorOf(installFromCatalog(manager, { pluginId: "lyrics-deadpkg" }));
    expect(err.message).toMatch(new RegExp(`^downloading http://127\\.0\\.0\\.1:${deadPort}/p\\.ndp: .*ECONNREFUSED`));
    expect(folderSnapshot()).toEqual(before);
    expect(tmpLeftovers()).toEqual([]);
  });

  it("a loopback package host is refused without Plugins.AllowPrivateRepositories", async () => {
    const v = publish("private.ndp", lyricsPackage("1.0.0"));
    await setCatalog([{ id: "lyrics-private", versions: [v] }]);
    settings().Plugins.AllowPrivateRepositories = false;
    try {
      const err = await errorOf(installFromCatalog(manager, { pluginId: "lyrics-private" }));
      expect(err.message).toContain("127.0.0.1 resolves to 127.0.0.1, which is not allowed");
      expect(await findPlugin("lyrics-private")).toBeNull();
    } finally {
      settings().Plugins.AllowPrivateRepositories = true;
    }
  });
});

describe("updates", () => {
  it("an update that asks for nothing new is applied in place: settings kept, the plugin runs the new version", async () => {
    const v1 = publish("upd-1.0.0.ndp", lyricsPackage("1.0.0"));
    await setCatalog([{ id: "lyrics-upd", versions: [v1] }]);
    await installFromCatalog(manager, { pluginId: "lyrics-upd" });
    await updatePlugin("lyrics-upd", { config: '{"kept":"yes"}', allLibraries: true, users: ["someone"] });
    await manager.enable("lyrics-upd");
    expect(manager.loadedPlugin("lyrics-upd")!.manifest.version).toBe("1.0.0");

    const v11 = publish("upd-1.1.0.ndp", lyricsPackage("1.1.0"), { releaseNotes: "Faster." });
    await setCatalog([{ id: "lyrics-upd", versions: [v11, v1] }]);
    const view = await updateView("lyrics-upd");
    expect(view).toMatchObject({ currentVersion: "1.0.0", available: { version: "1.1.0", releaseNotes: "Faster.", diff: { requiresApproval: false } }, pending: null });

    expect(await updateFromCatalog(manager, "lyrics-upd")).toEqual({ pluginId: "lyrics-upd", version: "1.1.0", applied: true, pending: false });
    const record = (await findPlugin("lyrics-upd"))!;
    expect(record).toMatchObject({ sha256: v11.sha256, enabled: true, config: '{"kept":"yes"}', allLibraries: true, users: ["someone"] });
    expect(manager.loadedPlugin("lyrics-upd")!.manifest.version).toBe("1.1.0");
    expect(await manager.call("lyrics-upd", "nd_lyrics_get_lyrics", lyricsInput)).toBeTruthy();
    expect((await pluginHistory("lyrics-upd")).map((e) => [e.version, e.current])).toEqual([
      ["1.1.0", true],
      ["1.0.0", false],
    ]);
    expect((await updateView("lyrics-upd")).available).toBeNull();
    expect((await errorOf(updateFromCatalog(manager, "lyrics-upd"))).message).toBe("no newer compatible version of lyrics-upd is in the plugin catalogs");
  });

  it("an update that asks for more is staged; the old version keeps running and answering until it is approved", async () => {
    const v1 = publish("perm-1.0.0.ndp", lyricsPackage("1.0.0"));
    await setCatalog([{ id: "lyrics-perm", versions: [v1] }]);
    await installFromCatalog(manager, { pluginId: "lyrics-perm" });
    await updatePlugin("lyrics-perm", { config: '{"kept":"yes"}' });
    await manager.enable("lyrics-perm");

    const v2 = publish("perm-2.0.0.ndp", lyricsPackage("2.0.0", { cache: { reason: "remember lyrics" }, http: { reason: "lyrics site", requiredHosts: ["lyrics.example"] } }), {
      releaseNotes: "Caches lyrics.",
    });
    await setCatalog([{ id: "lyrics-perm", versions: [v2, v1] }]);
    const folderBefore = folderSnapshot();
    expect(await updateFromCatalog(manager, "lyrics-perm")).toEqual({ pluginId: "lyrics-perm", version: "2.0.0", applied: false, pending: true });

    // Nothing changed for the running plugin: same file, same row, same loaded version, still answering.
    expect(folderSnapshot()).toEqual(folderBefore);
    expect(await findPlugin("lyrics-perm")).toMatchObject({ sha256: v1.sha256, enabled: true });
    expect(manager.loadedPlugin("lyrics-perm")!.manifest.version).toBe("1.0.0");
    const answer = await manager.call<{ lyrics?: unknown[] }>("lyrics-perm", "nd_lyrics_get_lyrics", lyricsInput);
    expect(answer?.lyrics?.length).toBeGreaterThan(0);

    const staged = path.join(dataFolder, "plugin-packages", "lyrics-perm", "pending.ndp");
    expect(sha(readFileSync(staged))).toBe(v2.sha256);
    expect(statSync(staged).mode & 0o777).toBe(0o600);
    const view = await updateView("lyrics-perm");
    expect(view.pending).toMatchObject({ version: "2.0.0", sha256: v2.sha256, releaseNotes: "Caches lyrics.", diff: { added: ["cache", "http"], hostsAdded: ["lyrics.example"], requiresApproval: true } });

    expect(await approvePendingUpdate(manager, "lyrics-perm")).toEqual({ pluginId: "lyrics-perm", version: "2.0.0", applied: true, pending: false });
    expect(await findPlugin("lyrics-perm")).toMatchObject({ sha256: v2.sha256, enabled: true, config: '{"kept":"yes"}' });
    expect(manager.loadedPlugin("lyrics-perm")!.manifest.version).toBe("2.0.0");
    expect(existsSync(staged)).toBe(false);
    expect((await updateView("lyrics-perm")).pending).toBeNull();
  });

  it("a staged update can be discarded; the installed version stays", async () => {
    const v1 = publish("disc-1.0.0.ndp", lyricsPackage("1.0.0"));
    const v2 = publish("disc-2.0.0.ndp", lyricsPackage("2.0.0", { kvstore: {} }));
    await setCatalog([{ id: "lyrics-discard", versions: [v1] }]);
    await installFromCatalog(manager, { pluginId: "lyrics-discard" });
    await setCatalog([{ id: "lyrics-discard", versions: [v2, v1] }]);
    expect((await updateFromCatalog(manager, "lyrics-discard")).pending).toBe(true);
    await discardPendingUpdate(manager, "lyrics-discard");
    expect((await updateView("lyrics-discard")).pending).toBeNull();
    expect(existsSync(path.join(dataFolder, "plugin-packages", "lyrics-discard", "pending.ndp"))).toBe(false);
    expect((await findPlugin("lyrics-discard"))!.sha256).toBe(v1.sha256);
    expect((await errorOf(approvePendingUpdate(manager, "lyrics-discard"))).message).toBe("lyrics-discard has no pending update");
  });

  it("auto-update after a catalog refresh applies only the update that asks for nothing new", async () => {
    const a1 = publish("auto-a-1.0.0.ndp", lyricsPackage("1.0.0"));
    const b1 = publish("auto-b-1.0.0.ndp", lyricsPackage("1.0.0"));
    await setCatalog([
      { id: "lyrics-auto-a", versions: [a1] },
      { id: "lyrics-auto-b", versions: [b1] },
    ]);
    await installFromCatalog(manager, { pluginId: "lyrics-auto-a" });
    await installFromCatalog(manager, { pluginId: "lyrics-auto-b" });
    const a2 = publish("auto-a-1.1.0.ndp", lyricsPackage("1.1.0"));
    const b2 = publish("auto-b-2.0.0.ndp", lyricsPackage("2.0.0", { cache: {} }));
    settings().Plugins.AutoUpdate = true;
    try {
      // The refresh awaits its listeners: auto-update has run when it returns.
      await setCatalog([
        { id: "lyrics-auto-a", versions: [a2, a1] },
        { id: "lyrics-auto-b", versions: [b2, b1] },
      ]);
    } finally {
      settings().Plugins.AutoUpdate = false;
    }
    expect((await findPlugin("lyrics-auto-a"))!.sha256).toBe(a2.sha256);
    expect((await findPlugin("lyrics-auto-b"))!.sha256).toBe(b1.sha256);
    expect((await updateView("lyrics-auto-b")).pending).toBeNull();
  });

  it("without Plugins.AutoUpdate a refresh updates nothing", async () => {
    const c1 = publish("auto-c-1.0.0.ndp", lyricsPackage("1.0.0"));
    await setCatalog([{ id: "lyrics-auto-c", versions: [c1] }]);
    await installFromCatalog(manager, { pluginId: "lyrics-auto-c" });
    const c2 = publish("auto-c-1.1.0.ndp", lyricsPackage("1.1.0"));
    await setCatalog([{ id: "lyrics-auto-c", versions: [c2, c1] }]);
    expect((await findPlugin("lyrics-auto-c"))!.sha256).toBe(c1.sha256);
  });
});

describe("rollback and history", () => {
  it("rolls back to a kept package by version or sha256, settings kept, and back again", async () => {
    const v1 = publish("rb-1.0.0.ndp", lyricsPackage("1.0.0"));
    const v2 = publish("rb-1.1.0.ndp", lyricsPackage("1.1.0"));
    await setCatalog([{ id: "lyrics-rb", versions: [v1] }]);
    await installFromCatalog(manager, { pluginId: "lyrics-rb" });
    await updatePlugin("lyrics-rb", { config: '{"kept":"yes"}' });
    await manager.enable("lyrics-rb");
    await setCatalog([{ id: "lyrics-rb", versions: [v2, v1] }]);
    await updateFromCatalog(manager, "lyrics-rb");

    const entry = await rollbackPlugin(manager, "lyrics-rb", { version: "1.0.0" });
    expect(entry).toMatchObject({ version: "1.0.0", sha256: v1.sha256, source: "rollback", current: true });
    expect(await findPlugin("lyrics-rb")).toMatchObject({ sha256: v1.sha256, enabled: true, config: '{"kept":"yes"}' });
    expect(manager.loadedPlugin("lyrics-rb")!.manifest.version).toBe("1.0.0");
    expect(sha(readFileSync(path.join(pluginsFolder, "lyrics-rb.ndp")))).toBe(v1.sha256);

    await rollbackPlugin(manager, "lyrics-rb", { sha256: v2.sha256.slice(0, 12) });
    expect((await findPlugin("lyrics-rb"))!.sha256).toBe(v2.sha256);
    expect((await errorOf(rollbackPlugin(manager, "lyrics-rb", { sha256: v2.sha256 }))).message).toContain("is already installed");
    expect((await errorOf(rollbackPlugin(manager, "lyrics-rb", { sha256: "f".repeat(64) }))).message).toBe(`lyrics-rb has no kept package ${"f".repeat(64)}`);
  });

  it("rolling back to a package that asks for more leaves the plugin disabled for the admin to consent", async () => {
    const more = publish("rbm-1.0.0.ndp", lyricsPackage("1.0.0", { cache: {} }));
    const less = publish("rbm-1.1.0.ndp", lyricsPackage("1.1.0"));
    await setCatalog([{ id: "lyrics-rbm", versions: [more] }]);
    await installFromCatalog(manager, { pluginId: "lyrics-rbm" });
    await manager.enable("lyrics-rbm");
    await setCatalog([{ id: "lyrics-rbm", versions: [less, more] }]);
    expect((await updateFromCatalog(manager, "lyrics-rbm")).applied).toBe(true);
    expect((await findPlugin("lyrics-rbm"))!.enabled).toBe(true);
    await rollbackPlugin(manager, "lyrics-rbm", { version: "1.0.0" });
    expect(await findPlugin("lyrics-rbm")).toMatchObject({ sha256: more.sha256, enabled: false });
  });

  it("a kept package altered on disk is refused", async () => {
    const v1 = publish("tamper-1.0.0.ndp", lyricsPackage("1.0.0"));
    const v2 = publish("tamper-1.1.0.ndp", lyricsPackage("1.1.0"));
    await setCatalog([{ id: "lyrics-tamper", versions: [v1] }]);
    await installFromCatalog(manager, { pluginId: "lyrics-tamper" });
    await setCatalog([{ id: "lyrics-tamper", versions: [v2, v1] }]);
    await updateFromCatalog(manager, "lyrics-tamper");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path.join(dataFolder, "plugin-packages", "lyrics-tamper", `${v1.sha256}.ndp`), lyricsPackage("6.6.6"));
    const before = folderSnapshot();
    expect((await errorOf(rollbackPlugin(manager, "lyrics-tamper", { version: "1.0.0" }))).message).toMatch(/^package sha256 mismatch: expected /);
    expect(folderSnapshot()).toEqual(before);
  });

  it("keeps the current package plus Plugins.KeepPackages past ones, uploads included", async () => {
    settings().Plugins.KeepPackages = 2;
    try {
      const versions = ["1.0.0", "1.1.0", "1.2.0", "1.3.0"].map((v) => publish(`prune-${v}.ndp`, lyricsPackage(v)));
      await setCatalog([{ id: "lyrics-prune", versions: [versions[0]] }]);
      await installFromCatalog(manager, { pluginId: "lyrics-prune" });
      for (let i = 1; i < versions.length; i++) {
        await setCatalog([{ id: "lyrics-prune", versions: versions.slice(0, i + 1).reverse() }]);
        await updateFromCatalog(manager, "lyrics-prune");
      }
      const upload = lyricsPackage("1.4.0-local");
      await installUploadedPackage(manager, "lyrics-prune.ndp", upload, true);
      const history = await pluginHistory("lyrics-prune");
      expect(history.map((e) => [e.version, e.source, e.current])).toEqual([
        ["1.4.0-local", "upload", true],
        ["1.3.0", "catalog", false],
        ["1.2.0", "catalog", false],
      ]);
      const kept = readdirSync(path.join(dataFolder, "plugin-packages", "lyrics-prune")).sort();
      expect(kept).toEqual([sha(upload), versions[3].sha256, versions[2].sha256].map((s) => `${s}.ndp`).sort());
    } finally {
      settings().Plugins.KeepPackages = 3;
    }
  });

  it("a package put in the folder by hand shows as the current 'folder' entry and is kept when replaced", async () => {
    const { writeFileSync } = await import("node:fs");
    const local = lyricsPackage("0.9.0");
    writeFileSync(path.join(pluginsFolder, "lyrics-hand.ndp"), local);
    await manager.sync();
    expect(await pluginHistory("lyrics-hand")).toEqual([expect.objectContaining({ version: "0.9.0", sha256: sha(local), source: "folder", current: true })]);
    const v1 = publish("hand-1.0.0.ndp", lyricsPackage("1.0.0"));
    await setCatalog([{ id: "lyrics-hand", versions: [v1] }]);
    await updateFromCatalog(manager, "lyrics-hand");
    expect((await pluginHistory("lyrics-hand")).map((e) => [e.version, e.source, e.current])).toEqual([
      ["1.0.0", "catalog", true],
      ["0.9.0", "folder", false],
    ]);
    await rollbackPlugin(manager, "lyrics-hand", { version: "0.9.0" });
    expect((await findPlugin("lyrics-hand"))!.sha256).toBe(sha(local));
  });
});
