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
  // New users see every library, including ones added later.
  await expect(page.getByTestId("user-libraries-alice")).toHaveText("all");

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

test("an admin limits a user to chosen libraries, and the user's Subsonic view follows", async ({ page, request }) => {
  await signIn(page);
  await page.goto("/admin/users");
  await page.getByRole("button", { name: "Add user" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("User name").fill("bob");
  await dialog.getByLabel(/Password/).fill("bob-pass-1");
  const all = dialog.getByRole("switch", { name: "All libraries" });
  await expect(all).toBeChecked();
  await all.uncheck();
  await expect(dialog.getByText("No library selected")).toBeVisible();
  const libraries = dialog.getByRole("group", { name: "libraries" }).getByRole("checkbox");
  await expect(libraries.first()).toBeVisible();
  await libraries.first().check();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("user-libraries-bob")).toHaveText("1 selected");

  const auth = new URLSearchParams({ u: "bob", p: "bob-pass-1", v: "1.16.1", c: "e2e", f: "json" });
  const folders = async () => (await (await request.get(`/rest/getMusicFolders?${auth}`)).json())["subsonic-response"].musicFolders.musicFolder ?? [];
  expect(await folders()).toHaveLength(1);

  // Without any library the catalogue is empty; the table warns about it.
  await page.getByRole("button", { name: "edit bob" }).click();
  await page.getByRole("dialog").getByRole("group", { name: "libraries" }).getByRole("checkbox").first().uncheck();
  await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("user-libraries-bob")).toHaveText("none");
  expect(await folders()).toEqual([]);

  await page.getByRole("button", { name: "edit bob" }).click();
  await page.getByRole("dialog").getByRole("switch", { name: "All libraries" }).check();
  await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("user-libraries-bob")).toHaveText("all");
  expect((await folders()).length).toBeGreaterThan(0);

  await page.getByRole("button", { name: "delete bob" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("user-row-bob")).toHaveCount(0);
});
