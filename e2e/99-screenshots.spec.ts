import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { ensureAdmin, expect, signIn, test } from "./fixtures";

// Pictures for the docs: `SCREENSHOTS=1 npx playwright test e2e/99-screenshots.spec.ts` writes
// docs/images/*.png. Skipped in the normal run so tests never rewrite tracked files.
// The plugin catalog pictures (plugin-*.png) are taken by e2e/12-plugin-catalog.spec.ts with the same switch.
test.skip(!process.env.SCREENSHOTS, "only when refreshing the docs' screenshots");

const out = path.resolve("docs", "images"); // Playwright runs from the project root

test("admin pages", async ({ page, request }) => {
  mkdirSync(out, { recursive: true });
  await ensureAdmin(request);
  const data = process.env.E2E_DATA ?? "data/e2e";
  copyFileSync("build/plugins/test-config.ndp", path.join(data, "plugins", "test-config.ndp"));
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page);
  await page.goto("/admin/plugins");
  await page.getByRole("button", { name: "Rescan" }).click();
  await expect(page.getByTestId("plugin-row-test-config")).toBeVisible();
  await page.screenshot({ path: path.join(out, "plugins.png") });
  await page.getByRole("link", { name: "test-config" }).click();
  await expect(page.getByLabel(/^Greeting/)).toBeVisible();
  await page.screenshot({ path: path.join(out, "plugin-detail.png"), fullPage: true });
  await page.goto("/admin/libraries");
  await expect(page.getByTestId("library-1")).toBeVisible();
  await page.screenshot({ path: path.join(out, "libraries.png") });
});

test("web player", async ({ page, request }) => {
  mkdirSync(out, { recursive: true });
  await ensureAdmin(request);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page);
  await expect(async () => {
    await page.goto("/albums");
    await expect(page.getByRole("link", { name: "Sine Waves" })).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await page.getByRole("link", { name: "Sine Waves" }).click();
  await page.getByRole("button", { name: "Play Perfect Fifth", exact: true }).click();
  const bar = page.getByRole("region", { name: "Player" });
  await expect(bar.getByTestId("player-title")).toHaveText("Perfect Fifth");
  await bar.getByRole("button", { name: "Lyrics" }).click();
  await expect(page.locator('[data-testid="lyrics-lines"] li[aria-current="true"]')).toHaveText("Three to two", { timeout: 15_000 });
  await bar.getByRole("button", { name: "Pause", exact: true }).click();
  // No hover or focus tooltips in the picture.
  await page.mouse.move(640, 600);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await expect(page.getByRole("tooltip")).toHaveCount(0);
  await page.screenshot({ path: path.join(out, "player-lyrics.png") });
  await page.getByRole("button", { name: "Close lyrics" }).click();
  await page.getByRole("button", { name: "Add to queue" }).click();
  await bar.getByRole("button", { name: "Queue" }).click();
  await expect(page.getByTestId("queue-item")).toHaveCount(6);
  await page.screenshot({ path: path.join(out, "player-queue.png") });
});
