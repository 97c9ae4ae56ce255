import AdmZip from "adm-zip";
import { createHash, createPrivateKey, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { apiToken, ensureAdmin, expect, signIn, test } from "./fixtures";

/**
 * Issue #15 end to end: an admin adds a catalog served by this test from 127.0.0.1
 * (playwright.config.ts sets Plugins.AllowPrivateRepositories), browses it, installs a
 * plugin, enables it, reviews an update that asks for a new permission (the old version
 * keeps running until approved), applies one that asks for nothing new, and rolls back.
 * `SCREENSHOTS=1` also writes the docs' pictures (docs/images/plugin-*.png).
 */

// The server's plugins folder (playwright.config.ts: ND_DATAFOLDER=data/e2e).
const FOLDER = path.resolve("data/e2e/plugins");
const BUILT = path.resolve("build/plugins");
const IMAGES = path.resolve("docs", "images");
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

// A test-only ed25519 key; its public half is Plugins.TrustedKeys in playwright.config.ts.
const TRUSTED_KEY = createPrivateKey("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIMO5v7vN5KmpfulGIDL41p2lr288M59p4nGTpo7M+e+9\n-----END PRIVATE KEY-----\n");
const TRUSTED_KEY_ID = createHash("sha256").update(Buffer.from("XVSHMZ0abYuOU7QzbPTabnvp52T9leh1w62hcPqCCoI=", "base64")).digest("hex").slice(0, 16);
// A key nobody configured: its valid signatures are "untrusted-key".
const OTHER_KEY = createPrivateKey("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ3PxiqCDWg0MWJLWg1W9R+gfZx0u3bEU9tNsygAGbE9\n-----END PRIVATE KEY-----\n");

const PLUGIN = "e2e-lyrics";

/** A built test plugin under another name/version, with `permissions` merged into its manifest. */
function packageOf(base: string, manifest: Record<string, unknown>): Buffer {
  const zip = new AdmZip(path.join(BUILT, `${base}.ndp`));
  const original = JSON.parse(zip.getEntry("manifest.json")!.getData().toString("utf8"));
  zip.updateFile("manifest.json", Buffer.from(JSON.stringify({ ...original, ...manifest })));
  return zip.toBuffer();
}

interface Published {
  version: string;
  bytes: Buffer;
  entry: Record<string, unknown>;
}

/** One catalog version entry for `bytes`, signed with `key` (or a forged signature). */
function publish(id: string, version: string, bytes: Buffer, extra: Record<string, unknown>, signing: "trusted" | "other" | "forged" | "none" = "trusted"): Published {
  const digest = sha256(bytes);
  const message = Buffer.from(`${id}@${version}:${digest}`, "utf8");
  const signature =
    signing === "none"
      ? undefined
      : signing === "forged"
        ? { keyId: TRUSTED_KEY_ID, value: sign(null, Buffer.from("something else"), TRUSTED_KEY).toString("base64") }
        : { keyId: signing === "trusted" ? TRUSTED_KEY_ID : "other-key", value: sign(null, message, signing === "trusted" ? TRUSTED_KEY : OTHER_KEY).toString("base64") };
  return { version, bytes, entry: { version, url: `packages/${id}-${version}.ndp`, sha256: digest, size: bytes.length, published: "2026-12-01", signature, ...extra } };
}

const lyricsManifest = { name: "Catalog Lyrics", description: "Fixed test lyrics, installed from a catalog" };
const httpPermission = { http: { reason: "Fetches lyrics from the lyrics service", requiredHosts: ["lyrics.example.com"] } };
const V1 = publish(PLUGIN, "1.0.0", packageOf("test-lyrics", { ...lyricsManifest, version: "1.0.0" }), {
  capabilities: ["Lyrics"],
  permissions: [],
  releaseNotes: "First release.",
});
const V2 = publish(PLUGIN, "1.1.0", packageOf("test-lyrics", { ...lyricsManifest, version: "1.1.0", permissions: httpPermission }), {
  capabilities: ["Lyrics"],
  permissions: ["http"],
  hosts: ["lyrics.example.com"],
  releaseNotes: "Looks lyrics up on lyrics.example.com when the fixed ones do not match.",
});
const V3 = publish(PLUGIN, "1.2.0", packageOf("test-lyrics", { ...lyricsManifest, version: "1.2.0", permissions: httpPermission }), {
  capabilities: ["Lyrics"],
  permissions: ["http"],
  hosts: ["lyrics.example.com"],
  releaseNotes: "Faster lookups. Nothing new asked for.",
});
/** Plugins that are only browsed: one per signature status and an incompatible one. */
const others = [
  { id: "e2e-unsigned", name: "Unsigned Config", author: "Someone", description: "An unsigned package", v: publish("e2e-unsigned", "1.0.0", packageOf("test-config", {}), { capabilities: ["MetadataAgent"] }, "none") },
  { id: "e2e-forged", name: "Forged Scrobbler", author: "Mallory", description: "A package whose signature does not match", v: publish("e2e-forged", "1.0.0", packageOf("test-scrobbler", {}), { capabilities: ["Scrobbler"], permissions: ["users"] }, "forged") },
  { id: "e2e-stranger", name: "Stranger Artwork", author: "Someone else", description: "Signed with a key this server does not trust", v: publish("e2e-stranger", "1.0.0", packageOf("test-config", {}), { capabilities: ["MetadataAgent"] }, "other") },
  { id: "e2e-future", name: "Future Agent", author: "Tomorrow", description: "Needs a newer plugin API", v: publish("e2e-future", "9.0.0", packageOf("test-lyrics", { version: "9.0.0" }), { capabilities: ["Lyrics"], minApi: "v9.0.0" }) },
];

/**
 * The catalog server: `released` is the list of e2e-lyrics versions published so far (the
 * test publishes the next one as it goes); other plugins are always listed.
 */
function catalogServer() {
  const released: Published[] = [];
  const packages = new Map<string, Buffer>();
  for (const p of [V1, V2, V3, ...others.map((o) => o.v)]) packages.set(`/${String(p.entry.url)}`, p.bytes);
  const catalog = () => ({
    schemaVersion: 1,
    name: "E2E catalog",
    publicKeys: [{ keyId: "other-key", key: "Is+ieyTxp+A1iKISvilRB5bpVIR38VU6YPCFgq0EKZo=" }],
    plugins: [
      { id: PLUGIN, name: "Catalog Lyrics", author: "Tessitura Test Suite", description: "Fixed test lyrics, installed from a catalog", homepage: "https://example.com/lyrics", versions: [...released].reverse().map((r) => r.entry) },
      ...others.map((o) => ({ id: o.id, name: o.name, author: o.author, description: o.description, versions: [o.v.entry] })),
    ],
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x").pathname;
    if (url === "/catalog.json") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(catalog()));
      return;
    }
    const bytes = packages.get(url);
    if (bytes) {
      res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": bytes.length });
      res.end(bytes);
      return;
    }
    res.writeHead(404).end("not found");
  });
  return {
    released,
    start: () => new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const toast = (page: Page, text: string | RegExp) => page.getByRole("alert").filter({ hasText: text });

/** Writes a docs picture when refreshing screenshots (never in the normal run: tracked files). */
async function shot(target: Page | Locator, name: string) {
  if (!process.env.SCREENSHOTS) return;
  const file = path.join(IMAGES, name);
  if ("goto" in target) await target.screenshot({ path: file, animations: "disabled", fullPage: true });
  else await target.screenshot({ path: file, animations: "disabled" });
}

function adminApi(request: APIRequestContext, token: string) {
  const headers = { "x-nd-authorization": `Bearer ${token}` };
  return {
    /** The installed plugin as the API sees it: its manifest's version, enabled, package hash. */
    plugin: async () => {
      const r = await (await request.get(`/api/plugin/${PLUGIN}`, { headers })).json();
      return { version: JSON.parse(r.manifest).version, enabled: r.enabled, sha256: r.sha256 };
    },
    cleanUp: async () => {
      await request.delete(`/api/plugin/${PLUGIN}`, { headers });
      const repos = await (await request.get("/api/plugin-repository", { headers })).json();
      for (const r of Array.isArray(repos) ? repos : []) if (r.source === "admin") await request.delete(`/api/plugin-repository/${r.id}`, { headers });
    },
  };
}

/** The page fits the 1280 px viewport (a stray wide element once made it scroll sideways). */
async function expectNoSideScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
}

/** Settings → Plugin repositories → Refresh all, as an admin does after a catalog changed. */
async function refreshCatalogs(page: Page) {
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Plugin repositories" })).toBeVisible();
  await page.getByRole("button", { name: "Refresh all" }).click();
  await expect(toast(page, /^Refreshed/)).toBeVisible();
}

test("an admin adds a catalog, installs from it, updates with a permission review and rolls back", async ({ page, request }) => {
  test.setTimeout(240_000);
  await ensureAdmin(request);
  const api = adminApi(request, await apiToken(request));
  const catalog = catalogServer();
  const origin = await catalog.start();
  const onDisk = path.join(FOLDER, `${PLUGIN}.ndp`);
  catalog.released.push(V1);
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page);

    await test.step("add the catalog, and a broken one that does not hide it", async () => {
      await page.getByRole("link", { name: "Settings", exact: true }).click();
      await expect(page.getByRole("heading", { name: "Plugin repositories" })).toBeVisible();
      await expect(page.getByTestId("repositories-empty")).toHaveText(/No repositories yet/);
      const url = page.getByLabel("Catalog URL");
      await url.fill(`${origin}/missing.json`);
      await page.getByRole("button", { name: "Add repository" }).click();
      await expect(toast(page, `Added, but the catalog could not be read: HTTP 404 from ${origin}/missing.json`)).toBeVisible();
      await url.fill(`${origin}/catalog.json`);
      await page.getByRole("button", { name: "Add repository" }).click();
      await expect(toast(page, "Added E2E catalog")).toBeVisible();
      const good = page.getByRole("row").filter({ hasText: `${origin}/catalog.json` });
      await expect(good).toContainText("E2E catalog");
      await expect(good).toContainText("added by admin");
      await expect(good).toContainText("just now");
      await expect(good.getByRole("cell").nth(2)).toHaveText(String(1 + others.length)); // plugins listed
      await expect(good.getByTestId("repository-error")).toHaveCount(0);
      const broken = page.getByRole("row").filter({ hasText: `${origin}/missing.json` });
      await expect(broken.getByTestId("repository-error")).toHaveText(`HTTP 404 from ${origin}/missing.json`);
      await expectNoSideScroll(page);
      await shot(page, "plugin-repositories.png");
      // The same URL twice is refused under the field.
      await url.fill(`${origin}/catalog.json`);
      await page.getByRole("button", { name: "Add repository" }).click();
      await expect(page.getByText(`repository ${origin}/catalog.json is already listed`)).toBeVisible();
      await url.fill("");
    });

    await test.step("browse: badges, compatibility, search and capability filter", async () => {
      await page.getByRole("link", { name: "Catalog", exact: true }).click();
      await expect(page.getByRole("heading", { name: "Plugin catalog" })).toBeVisible();
      await expect(page.getByTestId("catalog-broken-repositories")).toContainText(`One catalog could not be read; their plugins are missing from this list: HTTP 404 from ${origin}/missing.json.`);
      const card = page.getByTestId(`catalog-plugin-${PLUGIN}`);
      await expect(card).toContainText("Catalog Lyrics");
      await expect(card).toContainText("1.0.0");
      await expect(card.getByTestId("signature-trusted")).toHaveText("Signed · trusted");
      await expect(card.getByTestId("badge-installed")).toHaveCount(0);
      await expect(page.getByTestId("catalog-plugin-e2e-unsigned").getByTestId("signature-unsigned")).toBeVisible();
      await expect(page.getByTestId("catalog-plugin-e2e-forged").getByTestId("signature-bad-signature")).toBeVisible();
      await expect(page.getByTestId("catalog-plugin-e2e-stranger").getByTestId("signature-untrusted-key")).toBeVisible();
      const future = page.getByTestId("catalog-plugin-e2e-future");
      await expect(future.getByTestId("badge-incompatible")).toBeVisible();
      await expect(future.getByTestId("compatibility-note")).toContainText("needs the plugin API of Navidrome v9.0.0");
      await expect(future.getByRole("button", { name: /^install/ })).toBeDisabled();
      await expectNoSideScroll(page);
      await shot(page, "plugin-catalog.png");

      const search = page.getByLabel("Search plugins");
      await search.fill("no such plugin");
      await expect(page.getByTestId("catalog-empty")).toHaveText("No plugins match.");
      await search.fill("mallory");
      await expect(page.getByRole("article")).toHaveCount(1);
      await expect(page.getByTestId("catalog-plugin-e2e-forged")).toBeVisible();
      await search.fill("");
      await page.getByRole("combobox", { name: "Capability" }).click();
      await page.getByRole("option", { name: "MetadataAgent" }).click();
      await expect(page.getByRole("article")).toHaveCount(2);
      await expect(page.getByTestId("catalog-plugin-e2e-unsigned")).toBeVisible();
      await expect(page.getByTestId("catalog-plugin-e2e-stranger")).toBeVisible();
      await page.getByRole("combobox", { name: "Capability" }).click();
      await page.getByRole("option", { name: "All capabilities" }).click();
      await expect(page.getByRole("article")).toHaveCount(1 + others.length);
    });

    await test.step("install: lands disabled on its page with the permission review, then enable", async () => {
      await page.getByTestId(`catalog-plugin-${PLUGIN}`).getByRole("button", { name: "install Catalog Lyrics 1.0.0" }).click();
      await expect(page).toHaveURL(new RegExp(`/admin/plugins/${PLUGIN}$`));
      await expect(page.getByRole("heading", { name: PLUGIN, exact: true })).toBeVisible();
      await expect(page.getByText("No permissions: the plugin only sees its own configuration.")).toBeVisible();
      const toggle = page.getByLabel(`enable ${PLUGIN}`);
      await expect(toggle).not.toBeChecked();
      expect(sha256(readFileSync(onDisk))).toBe(sha256(V1.bytes));
      await expect(page.getByTestId("history-1.0.0")).toContainText("Running");
      await expect(page.getByTestId("update-card")).toHaveCount(0);
      await toggle.click();
      await expect(toast(page, "Plugin enabled")).toBeVisible();
      await expect(page.getByLabel(`disable ${PLUGIN}`)).toBeChecked();
      expect(await api.plugin()).toMatchObject({ version: "1.0.0", enabled: true });
    });

    await test.step("an update that asks for a new permission waits for approval", async () => {
      catalog.released.push(V2);
      await refreshCatalogs(page);
      await page.getByRole("link", { name: "Plugins", exact: true }).click();
      const row = page.getByTestId(`plugin-row-${PLUGIN}`);
      await expect(row.getByTestId(`update-available-${PLUGIN}`)).toHaveText("Update available: 1.1.0");
      await row.getByRole("link", { name: PLUGIN }).click();

      const card = page.getByTestId("update-card");
      await expect(card).toContainText("Update available: 1.1.0");
      await expect(card.getByTestId("release-notes")).toHaveText(/lyrics\.example\.com/);
      await expect(card.getByTestId("diff-added")).toContainText(["Permission: http", "Host: lyrics.example.com"]);
      await card.getByRole("button", { name: "Update", exact: true }).click();
      await expect(card).toContainText("Update to 1.1.0 waiting for approval");
      await expect(card.getByTestId("update-message")).toContainText("asks for new permissions");
      await expect(card.getByTestId("diff-added")).toContainText(["Permission: http", "Host: lyrics.example.com"]);
      // The old version keeps running: same file, still enabled, still 1.0.0.
      expect(sha256(readFileSync(onDisk))).toBe(sha256(V1.bytes));
      expect(await api.plugin()).toMatchObject({ version: "1.0.0", enabled: true });
      await shot(card, "plugin-update-diff.png");

      // The list says it is waiting; Discard drops it, and the same update can be staged again.
      await page.getByRole("link", { name: "Plugins", exact: true }).click();
      await expect(page.getByTestId(`update-pending-${PLUGIN}`)).toHaveText("Waiting for approval: 1.1.0");
      await page.getByTestId(`plugin-row-${PLUGIN}`).getByRole("link", { name: PLUGIN }).click();
      await card.getByRole("button", { name: "Discard" }).click();
      await expect(card.getByTestId("update-message")).toHaveText("Discarded the pending update; the current version keeps running");
      await expect(card).toContainText("Update available: 1.1.0");
      expect(await api.plugin()).toMatchObject({ version: "1.0.0", enabled: true });
      await card.getByRole("button", { name: "Update", exact: true }).click();
      await expect(card).toContainText("Update to 1.1.0 waiting for approval");

      await card.getByRole("button", { name: "Approve new permissions and update" }).click();
      await expect(card.getByTestId("update-message")).toHaveText("Updated to 1.1.0; the new permissions are granted");
      await expect(page.getByTestId("permission-http")).toContainText("Fetches lyrics from the lyrics service");
      expect(sha256(readFileSync(onDisk))).toBe(sha256(V2.bytes));
      // Approving switches the running plugin: it stays enabled on the new package.
      expect(await api.plugin()).toMatchObject({ version: "1.1.0", enabled: true });
      await expect(page.getByLabel(`disable ${PLUGIN}`)).toBeChecked();
    });

    await test.step("an update that asks for nothing new is applied in place", async () => {
      catalog.released.push(V3);
      await refreshCatalogs(page);
      await page.getByRole("link", { name: "Plugins", exact: true }).click();
      await page.getByTestId(`plugin-row-${PLUGIN}`).getByRole("link", { name: PLUGIN }).click();
      const card = page.getByTestId("update-card");
      await expect(card).toContainText("Update available: 1.2.0");
      await expect(card.getByTestId("permission-diff-empty")).toBeVisible();
      await card.getByRole("button", { name: "Update", exact: true }).click();
      await expect(card.getByTestId("update-message")).toHaveText("Updated to 1.2.0");
      expect(sha256(readFileSync(onDisk))).toBe(sha256(V3.bytes));
      expect(await api.plugin()).toMatchObject({ version: "1.2.0", enabled: true });
    });

    await test.step("roll back to the first version from the history", async () => {
      const history = page.getByTestId("history-card");
      await expect(history.getByTestId("history-1.2.0")).toContainText("Running");
      await expect(history.getByTestId("history-1.1.0")).toBeVisible();
      await expect(history.getByTestId("history-1.0.0")).toBeVisible();
      await shot(history, "plugin-history.png");
      // With the keyboard only: focus Rollback, Enter, then Enter on the dialog's confirm button.
      await history.getByRole("button", { name: "roll back to 1.0.0" }).focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog");
      await expect(dialog).toContainText("Roll back to 1.0.0?");
      await dialog.getByRole("button", { name: "Roll back" }).focus();
      await page.keyboard.press("Enter");
      await expect(history.getByTestId("history-message")).toHaveText("Rolled back to 1.0.0; the settings are kept");
      await expect(history.locator("tr", { hasText: "Running" })).toContainText("1.0.0");
      expect(sha256(readFileSync(onDisk))).toBe(sha256(V1.bytes));
      // 1.0.0 asks for less than 1.2.0 did: it keeps running.
      expect(await api.plugin()).toMatchObject({ version: "1.0.0", enabled: true });
      // The catalog's newest version is offered again.
      await expect(page.getByTestId("update-card")).toContainText("Update available: 1.2.0");

      // The catalog shows the installed version and the update, and leads to the review.
      await page.getByRole("link", { name: "Catalog", exact: true }).click();
      const card = page.getByTestId(`catalog-plugin-${PLUGIN}`);
      await expect(card.getByTestId("badge-installed")).toHaveText("Installed 1.0.0");
      await expect(card.getByTestId("badge-update")).toHaveText("Update available: 1.2.0");
      await card.getByRole("link", { name: "Review update to 1.2.0" }).click();
      await expect(page.getByTestId("update-card")).toContainText("Update available: 1.2.0");
    });
  } finally {
    await api.cleanUp();
    await catalog.stop();
  }
});
