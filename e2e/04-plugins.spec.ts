import AdmZip from "adm-zip";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { apiToken, ensureAdmin, expect, signIn, test } from "./fixtures";

/**
 * What the API and the form show instead of a password field's value: the mask and a tag
 * that stands for the stored value (lib/plugin-admin/config-secrets.ts).
 */
const SECRET_MASK = /^••••••••#[\w-]{16}$/;

// The server's plugins folder (playwright.config.ts: ND_DATAFOLDER=data/e2e, default Plugins.Folder).
const FOLDER = path.resolve("data/e2e/plugins");
const BUILT = path.resolve("build/plugins");
const ndp = (name: string) => path.join(BUILT, `${name}.ndp`);
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** The admin JSON API with a header token (cookie writes would need an Origin header). */
function adminApi(request: APIRequestContext, token: string) {
  const headers = { "x-nd-authorization": `Bearer ${token}` };
  return {
    get: (id: string) => request.get(`/api/plugin/${id}`, { headers }),
    call: (id: string, fn: string, input: unknown) => request.post(`/api/plugin/${id}/call`, { headers, data: { function: fn, input } }),
    remove: (id: string) => request.delete(`/api/plugin/${id}`, { headers }),
  };
}

/** Picks `files` through the list page's "Install package" button, as a person would. */
async function installThroughUi(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }) {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Install package" }).click();
  await (await chooser).setFiles(file);
}

const toast = (page: Page, text: string | RegExp) => page.getByRole("alert").filter({ hasText: text });

/** Deletes leftovers of a plugin (file and row) so every test starts from a clean folder. */
async function removePlugin(request: APIRequestContext, token: string, id: string) {
  await adminApi(request, token).remove(id);
  rmSync(path.join(FOLDER, `${id}.ndp`), { force: true });
}

let token: string;

test.beforeAll(async ({ request }) => {
  await ensureAdmin(request);
  token = await apiToken(request);
});

test.beforeEach(async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Plugins", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Plugins" })).toBeVisible();
});

test("an invalid package is refused with a clear error and never reaches the plugins folder", async ({ page }) => {
  const before = readdirSync(FOLDER);

  await installThroughUi(page, { name: "broken.ndp", mimeType: "application/octet-stream", buffer: Buffer.from("this is not a zip archive") });
  await expect(toast(page, "opening package: zip: not a valid zip file")).toBeVisible();

  // A zip without plugin.wasm is refused with the contract's wording.
  const noWasm = new AdmZip();
  noWasm.addFile("manifest.json", readManifest(ndp("test-lyrics")));
  await installThroughUi(page, { name: "half.ndp", mimeType: "application/octet-stream", buffer: noWasm.toBuffer() });
  await expect(toast(page, "package missing plugin.wasm")).toBeVisible();

  await installThroughUi(page, { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  await expect(toast(page, "the file name must end in .ndp")).toBeVisible();

  // Nothing was written (not even a temporary file), nothing listed, nothing reported as invalid on disk.
  expect(readdirSync(FOLDER)).toEqual(before);
  await page.reload();
  await expect(page.getByTestId("plugin-row-broken")).toHaveCount(0);
  await expect(page.getByTestId("plugin-row-half")).toHaveCount(0);
  await expect(page.getByTestId("invalid-packages")).toHaveCount(0);
});

test("test-scrobbler: installed disabled, blocked until users are allowed, then enabled", async ({ page, request }) => {
  const api = adminApi(request, token);
  try {
    await installThroughUi(page, ndp("test-scrobbler"));
    await expect(toast(page, "Installed test-scrobbler (disabled)")).toBeVisible();
    expect(sha256(readFileSync(path.join(FOLDER, "test-scrobbler.ndp")))).toBe(sha256(readFileSync(ndp("test-scrobbler"))));

    const row = page.getByTestId("plugin-row-test-scrobbler");
    await expect(row).toContainText("Test Scrobbler");
    await expect(row.getByLabel("enable test-scrobbler")).not.toBeChecked();
    await expect(row.getByLabel("enable test-scrobbler")).toBeDisabled();
    await row.getByTestId("enable-blocked-test-scrobbler").hover();
    await expect(page.getByRole("tooltip")).toHaveText("users permission requires configuration: select users or enable 'all users' access");

    await row.getByRole("link", { name: "test-scrobbler" }).click();
    await expect(page.getByRole("heading", { name: "test-scrobbler" })).toBeVisible();
    await expect(page.getByTestId("permission-users")).toContainText("Scrobblers must declare which users they act for");

    // Enabling is blocked, and the page says why.
    const toggle = page.getByLabel("enable test-scrobbler");
    await expect(toggle).not.toBeChecked();
    await expect(toggle).toBeDisabled();
    await expect(page.getByTestId("enable-gate")).toContainText("users permission requires configuration: select users or enable 'all users' access");
    // The API refuses it too, with the same reason.
    const refused = await request.put("/api/plugin/test-scrobbler", { headers: { "x-nd-authorization": `Bearer ${token}` }, data: { enabled: true } });
    expect(refused.status()).toBe(422);
    expect((await refused.json()).error).toContain("users permission requires configuration");

    await expect(page.getByText("No users selected: the plugin cannot be enabled until you choose some or allow all.")).toBeVisible();
    await page.getByLabel("Allow all users").check();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(toast(page, "Saved")).toBeVisible();
    await expect(page.getByTestId("enable-gate")).toHaveCount(0);
    expect(await (await api.get("test-scrobbler")).json()).toMatchObject({ allUsers: true, enabled: false });

    await expect(toggle).toBeEnabled();
    await toggle.click();
    await expect(toast(page, "Plugin enabled")).toBeVisible();
    await expect(page.getByLabel("disable test-scrobbler")).toBeChecked();
    // Loaded for real: its capability was detected and it answers calls.
    await expect(page.getByText("Scrobbler", { exact: true })).toBeVisible();
    expect(await (await api.get("test-scrobbler")).json()).toMatchObject({ enabled: true, allUsers: true });
    const authorized = await api.call("test-scrobbler", "nd_scrobbler_is_authorized", { username: "admin" });
    expect(authorized.status()).toBe(200);
    expect(await authorized.json()).toBe(true);
  } finally {
    await removePlugin(request, token, "test-scrobbler");
  }
});

test("test-config: configure through the form, enable, call, reload on save, keep settings across a changed file, delete", async ({ page, request }) => {
  const api = adminApi(request, token);
  const onDisk = path.join(FOLDER, "test-config.ndp");
  const biography = async () => {
    const res = await api.call("test-config", "nd_get_artist_biography", { id: "ar-1", name: "Ana" });
    expect(res.status(), await res.text()).toBe(200);
    return (await res.json()).biography;
  };
  try {
    await installThroughUi(page, ndp("test-config"));
    await expect(toast(page, "Installed test-config (disabled)")).toBeVisible();
    await expect(page.getByTestId("plugin-row-test-config").getByLabel("enable test-config")).not.toBeChecked();
    await page.getByRole("link", { name: "test-config" }).click();
    await expect(page.getByRole("heading", { name: "test-config" })).toBeVisible();
    await expect(page.getByTestId("permission-list")).toBeEmpty();
    await expect(page.getByText("No permissions: the plugin only sees its own configuration.")).toBeVisible();

    // The form starts from the schema defaults; the required API key blocks saving.
    const greeting = page.getByLabel(/^Greeting/);
    const apiKey = page.getByLabel(/^API key/);
    const save = page.getByRole("button", { name: "Save" });
    await expect(greeting).toHaveValue("Hello");
    await expect(formControl(page, "Greeting")).toContainText("Prefix of the artist biography");
    await expect(apiKey).toHaveAttribute("type", "password");
    await expect(formControl(page, "API key")).toContainText("is a required property");
    await expect(save).toBeDisabled();

    await greeting.fill("H");
    await expect(formControl(page, "Greeting")).toContainText("must NOT have fewer than 2 characters");
    await expect(formControl(page, "API key")).not.toContainText("must NOT have fewer than 2 characters");
    await expect(save).toBeDisabled();
    await greeting.fill("Hi");
    await expect(formControl(page, "Greeting")).not.toContainText("must NOT have fewer than 2 characters");
    await apiKey.fill("s3cret-key");
    await expect(formControl(page, "API key")).not.toContainText("is a required property");
    await expect(save).toBeEnabled();
    await save.click();
    await expect(toast(page, /^Saved$/)).toBeVisible();
    const saved = await (await api.get("test-config")).json();
    // Password fields never leave the server: the API shows a mask (the plugin gets the real value).
    expect(JSON.parse(saved.config)).toMatchObject({ greeting: "Hi", apiKey: expect.stringMatching(SECRET_MASK), advanced: { retries: 3 } }); // nested default filled by the form
    expect(saved.enabled).toBe(false);

    // Not loaded yet: calls are refused.
    expect((await api.call("test-config", "nd_get_artist_biography", { name: "Ana" })).status()).toBe(409);

    await page.getByLabel("enable test-config").click();
    await expect(toast(page, "Plugin enabled")).toBeVisible();
    await expect(page.getByLabel("disable test-config")).toBeChecked();
    expect(await biography()).toBe("Hi Ana");
    expect(await (await api.call("test-config", "nd_test_config", { op: "get", key: "apiKey" })).json()).toEqual({ value: "s3cret-key", exists: true });
    const missing = await api.call("test-config", "nd_no_such_export", {});
    expect(missing.status()).toBe(404);
    expect(await missing.json()).toEqual({ error: "function not found: nd_no_such_export" });
    await expectCallIsAdminOnly(request);

    // Saving a new greeting reloads the enabled plugin: the next call sees it.
    await greeting.fill("Howdy");
    await save.click();
    await expect(toast(page, "Saved; the plugin was reloaded")).toBeVisible();
    expect(await biography()).toBe("Howdy Ana");
    await expect(greeting).toHaveValue("Howdy");
    // The form sent the mask back for the untouched secret: the stored key was kept.
    expect(await (await api.call("test-config", "nd_test_config", { op: "get", key: "apiKey" })).json()).toEqual({ value: "s3cret-key", exists: true });

    // A changed file (here a new version of the package) is disabled by a rescan, settings kept.
    writeFileSync(onDisk, withVersion(ndp("test-config"), "1.0.1"));
    await page.getByRole("link", { name: "Plugins", exact: true }).click();
    await page.getByRole("button", { name: "Rescan" }).click();
    await expect(toast(page, "Plugins folder rescanned")).toBeVisible();
    const row = page.getByTestId("plugin-row-test-config");
    await expect(row).toContainText("1.0.1");
    await expect(row.getByLabel("enable test-config")).not.toBeChecked();
    const changed = await (await api.get("test-config")).json();
    expect(changed.enabled).toBe(false);
    expect(JSON.parse(changed.config)).toMatchObject({ greeting: "Howdy", apiKey: expect.stringMatching(SECRET_MASK) });
    expect((await api.call("test-config", "nd_get_artist_biography", { name: "Ana" })).status()).toBe(409);

    await row.getByRole("link", { name: "test-config" }).click();
    await expect(page.getByLabel(/^Greeting/)).toHaveValue("Howdy");
    await expect(page.getByLabel(/^API key/)).toHaveValue(SECRET_MASK);

    // Copying a different package over it works the same way: disabled, config kept.
    copyFileSync(ndp("test-lyrics"), onDisk);
    await page.getByRole("link", { name: "Plugins", exact: true }).click();
    await page.getByRole("button", { name: "Rescan" }).click();
    await expect(toast(page, "Plugins folder rescanned")).toBeVisible();
    await expect(row).toContainText("Test Lyrics");
    // The new package declares no secrets, so the stored value is shown as it is.
    expect(JSON.parse((await (await api.get("test-config")).json()).config)).toMatchObject({ greeting: "Howdy", apiKey: "s3cret-key" });

    await row.getByRole("link", { name: "test-config" }).click();
    await page.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("Delete test-config?");
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect(page).toHaveURL(/\/admin\/plugins$/);
    await expect(page.getByTestId("plugin-row-test-config")).toHaveCount(0);
    expect(existsSync(onDisk)).toBe(false);
    expect((await api.get("test-config")).status()).toBe(404);
  } finally {
    await removePlugin(request, token, "test-config");
  }
});

test("uploading a package whose id is installed asks before replacing it", async ({ page, request }) => {
  const api = adminApi(request, token);
  const onDisk = path.join(FOLDER, "test-lyrics.ndp");
  const original = readFileSync(ndp("test-lyrics"));
  const upgrade = withVersion(ndp("test-lyrics"), "2.0.0");
  try {
    await installThroughUi(page, ndp("test-lyrics"));
    await expect(toast(page, "Installed test-lyrics (disabled)")).toBeVisible();
    await expect(page.getByTestId("plugin-row-test-lyrics")).toContainText("1.0.0");
    await page.getByTestId("plugin-row-test-lyrics").getByLabel("enable test-lyrics").click();
    await expect(toast(page, "Plugin enabled")).toBeVisible();

    // Cancel keeps the installed package.
    await installThroughUi(page, { name: "test-lyrics.ndp", mimeType: "application/octet-stream", buffer: upgrade });
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("Replace test-lyrics.ndp?");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toHaveCount(0);
    expect(sha256(readFileSync(onDisk))).toBe(sha256(original));
    expect(await (await api.get("test-lyrics")).json()).toMatchObject({ enabled: true, sha256: sha256(original) });

    // Replace swaps the file and disables the plugin until it is enabled again.
    await installThroughUi(page, { name: "test-lyrics.ndp", mimeType: "application/octet-stream", buffer: upgrade });
    await dialog.getByRole("button", { name: "Replace" }).click();
    await expect(toast(page, "Replaced test-lyrics; it is disabled until you enable it again")).toBeVisible();
    await expect(page.getByTestId("plugin-row-test-lyrics")).toContainText("2.0.0");
    await expect(page.getByTestId("plugin-row-test-lyrics").getByLabel("enable test-lyrics")).not.toBeChecked();
    expect(sha256(readFileSync(onDisk))).toBe(sha256(upgrade));
    expect(await (await api.get("test-lyrics")).json()).toMatchObject({ enabled: false, sha256: sha256(upgrade) });
    expect(readdirSync(FOLDER).filter((f) => f.includes("upload"))).toEqual([]);
  } finally {
    await removePlugin(request, token, "test-lyrics");
  }
});

/** A signed-in non-admin is refused by the debug call endpoint. */
async function expectCallIsAdminOnly(request: APIRequestContext) {
  const headers = { "x-nd-authorization": `Bearer ${token}` };
  const created = await request.post("/api/user", { headers, data: { userName: "plugin-viewer", password: "viewer-pass" } });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  try {
    const viewer = await apiToken(request, { username: "plugin-viewer", password: "viewer-pass" });
    const res = await request.post("/api/plugin/test-config/call", {
      headers: { "x-nd-authorization": `Bearer ${viewer}` },
      data: { function: "nd_get_artist_biography", input: { name: "Ana" } },
    });
    expect(res.status()).toBe(403);
  } finally {
    await request.delete(`/api/user/${id}`, { headers });
  }
}

/** The MUI form control (label, input, helper text) whose label starts with `label`. */
function formControl(page: Page, label: string) {
  return page.locator(".MuiFormControl-root").filter({ has: page.getByLabel(new RegExp(`^${label}`)) });
}

function readManifest(file: string): Buffer {
  return new AdmZip(file).getEntry("manifest.json")!.getData();
}

/** The same package with another version in its manifest: a changed file, as an upgrade would be. */
function withVersion(file: string, version: string): Buffer {
  const zip = new AdmZip(file);
  const manifest = JSON.parse(zip.getEntry("manifest.json")!.getData().toString("utf8"));
  zip.updateFile("manifest.json", Buffer.from(JSON.stringify({ ...manifest, version })));
  return zip.toBuffer();
}
