import { ensureAdmin, expect, signIn, test } from "./fixtures";

test.beforeAll(async ({ request }) => ensureAdmin(request));

test("an admin adds, edits and deletes a user; the new user can sign in but not administer", async ({ page, browser }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();

  await page.getByRole("button", { name: "Add user" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("User name").fill("alice");
  await dialog.getByLabel(/^Name/).fill("Alice");
  await dialog.getByLabel("E-mail").fill("not-an-email");
  await dialog.getByLabel(/Password/).fill("alice-pass");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText("must be a valid e-mail address")).toBeVisible();
  await dialog.getByLabel("E-mail").fill("alice@example.com");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("user-row-alice")).toContainText("alice@example.com");

  // Duplicate names are refused on the field.
  await page.getByRole("button", { name: "Add user" }).click();
  await page.getByRole("dialog").getByLabel("User name").fill("ALICE");
  await page.getByRole("dialog").getByLabel(/Password/).fill("x");
  await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("dialog").getByText("already exists", { exact: true })).toBeVisible();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();

  await page.getByRole("button", { name: "edit alice" }).click();
  await page.getByRole("dialog").getByLabel(/^Name/).fill("Alice Liddell");
  await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("user-row-alice")).toContainText("Alice Liddell");

  // Alice signs in elsewhere: no admin menu, admin pages and API refused.
  const ctx = await browser.newContext();
  const alicePage = await ctx.newPage();
  await signIn(alicePage, { username: "alice", password: "alice-pass" });
  await expect(alicePage.getByRole("link", { name: "Users" })).toHaveCount(0);
  await alicePage.goto("/admin/users");
  await expect(alicePage).toHaveURL(/\/$/);
  expect((await alicePage.request.get("/api/user")).status()).toBe(403);

  // Alice makes an API key; the admin revokes it from the users page and her client is locked out.
  await alicePage.goto("/account");
  await alicePage.getByLabel("Key name").fill("Alice phone");
  await alicePage.getByRole("button", { name: "Create key" }).click();
  const key = (await alicePage.getByTestId("new-api-key").textContent())!;
  const ping = async () => (await (await page.request.get(`/rest/ping?apiKey=${encodeURIComponent(key)}&v=1.16.1&c=e2e&f=json`)).json())["subsonic-response"];
  expect((await ping()).status).toBe("ok");
  await ctx.close();
  await page.getByRole("button", { name: "api keys of alice" }).click();
  const keysDialog = page.getByRole("dialog");
  await expect(keysDialog.getByRole("cell", { name: "Alice phone", exact: true })).toBeVisible();
  await keysDialog.getByRole("button", { name: "revoke Alice phone" }).click();
  await expect(keysDialog.getByText("This user has no API keys.")).toBeVisible();
  await keysDialog.getByRole("button", { name: "Close" }).click();
  expect((await ping()).error.code).toBe(44);

  await page.getByRole("button", { name: "delete alice" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("user-row-alice")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "delete admin" })).toBeDisabled();
});

test("a cookie-authenticated write from another origin is refused", async ({ page }) => {
  await signIn(page);
  const res = await page.request.post("/api/user", {
    headers: { origin: "https://evil.example", "content-type": "application/json" },
    data: { userName: "mallory", password: "x" },
  });
  expect(res.status()).toBe(403);
});
