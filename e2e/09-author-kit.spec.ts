import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { ADMIN, apiToken, ensureAdmin, expect, signIn, test } from "./fixtures";

// The author's path of docs/plugins.md in the browser: a plugin scaffolded and built with
// `ndp`, and an example built from plugins/examples, are installed through the admin pages,
// enabled, configured, and seen working on their pages (capabilities, Activity).

const FOLDER = path.resolve("data/e2e/plugins");
const work = mkdtempSync(path.join(tmpdir(), "e2e-author-kit-"));
const ndp = (...args: string[]) => execFileSync(process.execPath, [path.resolve("scripts/ndp.mjs"), ...args], { cwd: work, encoding: "utf8" });

let token: string;

test.beforeAll(async ({ request }) => {
  await ensureAdmin(request);
  token = await apiToken(request);
  ndp("init", "hello-e2e");
  ndp("build", "hello-e2e");
  ndp("build", path.resolve("plugins/examples/play-counter"), "-o", path.join(work, "play-counter.ndp"));
});

test.afterAll(() => rmSync(work, { recursive: true, force: true }));

test.beforeEach(async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Plugins", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Plugins" })).toBeVisible();
});

async function installThroughUi(page: Page, file: string) {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Install package" }).click();
  await (await chooser).setFiles(file);
}

const toast = (page: Page, text: string | RegExp) => page.getByRole("alert").filter({ hasText: text });

async function removePlugin(request: APIRequestContext, id: string) {
  await request.delete(`/api/plugin/${id}`, { headers: { "x-nd-authorization": `Bearer ${token}` } });
  rmSync(path.join(FOLDER, `${id}.ndp`), { force: true });
}

test("a plugin made with ndp init: installed, enabled, logs its start, reloads with a new greeting", async ({ page, request }) => {
  try {
    await installThroughUi(page, path.join(work, "hello-e2e", "dist", "hello-e2e.ndp"));
    await expect(toast(page, "Installed hello-e2e (disabled)")).toBeVisible();
    await page.getByRole("link", { name: "hello-e2e" }).click();
    await expect(page.getByRole("heading", { name: "hello-e2e" })).toBeVisible();

    await page.getByLabel("enable hello-e2e").click();
    await expect(toast(page, "Plugin enabled")).toBeVisible();
    await expect(page.getByText("MetadataAgent", { exact: true })).toBeVisible();
    await expect(page.getByText("Lifecycle", { exact: true })).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("plugin-log")).toContainText("INFO hello-e2e loaded (greeting: Hello)");

    await page.getByLabel(/^Greeting/).fill("Hej");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(toast(page, "Saved; the plugin was reloaded")).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("plugin-log")).toContainText("INFO hello-e2e loaded (greeting: Hej)");
  } finally {
    await removePlugin(request, "hello-e2e");
  }
});

test("an example built from its sources: play-counter counts a scrobble sent by a Subsonic client", async ({ page, request }) => {
  try {
    await installThroughUi(page, path.join(work, "play-counter.ndp"));
    await expect(toast(page, "Installed play-counter (disabled)")).toBeVisible();
    await page.getByRole("link", { name: "play-counter" }).click();
    await expect(page.getByTestId("permission-kvstore")).toContainText("Keeps the counters between restarts");

    await page.getByLabel("Allow all users").check();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(toast(page, "Saved")).toBeVisible();
    await page.getByLabel("enable play-counter").click();
    await expect(toast(page, "Plugin enabled")).toBeVisible();
    await expect(page.getByText("Scrobbler", { exact: true })).toBeVisible();

    // A Subsonic client (here the page itself) scrobbles a song of the demo library.
    const auth = new URLSearchParams({ u: ADMIN.username, p: ADMIN.password, v: "1.16.1", c: "e2e-author-kit", f: "json" }).toString();
    const title = await page.evaluate(async (query) => {
      const call = async (method: string, extra: Record<string, string> = {}) => (await (await fetch(`/rest/${method}?${query}&${new URLSearchParams(extra)}`)).json())["subsonic-response"];
      let songs: { id: string; title: string }[] = [];
      for (let i = 0; i < 60 && songs.length === 0; i++) {
        songs = (await call("getRandomSongs", { size: "1" })).randomSongs?.song ?? [];
        if (!songs.length) await new Promise((r) => setTimeout(r, 500));
      }
      const r = await call("scrobble", { id: songs[0].id, submission: "true" });
      if (r.status !== "ok") throw new Error(JSON.stringify(r.error));
      return songs[0].title;
    }, auth);

    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("plugin-log")).toContainText(`counted ${title} by`, { timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    await expect(page.getByTestId("metric-nd_scrobbler_scrobble")).toContainText("nd_scrobbler_scrobble");
  } finally {
    await removePlugin(request, "play-counter");
  }
});
