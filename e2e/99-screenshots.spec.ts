import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { ensureAdmin, expect, signIn, test } from "./fixtures";

// Pictures for the docs: `SCREENSHOTS=1 npx playwright test e2e/99-screenshots.spec.ts` writes
// docs/images/*.png. Skipped in the normal run so tests never rewrite tracked files.
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
