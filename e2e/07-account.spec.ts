import { apiToken, ensureAdmin, expect, signIn, test } from "./fixtures";

test("a user creates an API key, a Subsonic client signs in with it, and revoking it locks the client out", async ({ page, request }) => {
  await ensureAdmin(request);
  await signIn(page);
  await page.getByRole("link", { name: "your account" }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await page.getByLabel("Key name").fill("E2E client");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!;
  expect(key).toMatch(/^tess_/);

  const ping = async () => (await (await request.get(`/rest/ping?apiKey=${encodeURIComponent(key)}&v=1.16.1&c=e2e&f=json`)).json())["subsonic-response"];
  expect((await ping()).status).toBe("ok");

  await page.getByRole("button", { name: "revoke E2E client" }).click();
  await expect(page.getByRole("cell", { name: "E2E client" })).toHaveCount(0);
  expect((await ping()).error.code).toBe(44);
});

test("a user edits their profile and changes their password; other sessions end and the new password signs in", async ({ page, browser, request }) => {
  await ensureAdmin(request);
  const token = await apiToken(request);
  const user = { username: "e2e-mover", password: "e2e-Mover-pass" };
  const created = await request.post("/api/user", { headers: { "x-nd-authorization": `Bearer ${token}` }, data: { userName: user.username, password: user.password } });
  expect(created.status()).toBe(201);

  // A second session of the same user, elsewhere.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, user);

  await signIn(page, user);
  await page.getByRole("link", { name: "your account" }).click();
  await expect(page.getByText("No API keys yet")).toBeVisible();

  const profile = page.getByRole("form", { name: "profile" });
  await profile.getByLabel("Display name").fill("Mover Person");
  await profile.getByRole("button", { name: "Save profile" }).click();
  await expect(profile.getByText("Profile saved")).toBeVisible();

  const form = page.getByRole("form", { name: "change password" });
  await form.getByLabel("Current password").fill("not-my-password");
  await form.getByLabel(/^New password/).fill("e2e-Mover-new");
  await form.getByLabel("Confirm new password").fill("e2e-Mover-new");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByTestId("password-status")).toHaveText("The current password is not correct");

  await form.getByLabel("Current password").fill(user.password);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByTestId("password-status")).toContainText("Password changed");

  // This session continues; the other one is signed out.
  await page.reload();
  await expect(page.getByTestId("current-user")).toHaveText(user.username);
  expect((await otherPage.request.get("/api/account")).status()).toBe(401);
  await other.close();

  // The old password no longer works, the new one does (web and Subsonic alike).
  expect((await request.post("/auth/login", { data: user })).status()).toBe(401);
  const fresh = await browser.newContext();
  const freshPage = await fresh.newPage();
  await signIn(freshPage, { username: user.username, password: "e2e-Mover-new" });
  await fresh.close();
  const ping = await request.get(`/rest/ping?u=${user.username}&p=e2e-Mover-new&v=1.16.1&c=e2e&f=json`);
  expect((await ping.json())["subsonic-response"].status).toBe("ok");
});

test("a player appears once a client plays, its max bit rate is saved, and an admin's cap for the user shows on the account page", async ({ page, browser, request }) => {
  await ensureAdmin(request);
  const token = await apiToken(request);
  const user = { username: "e2e-capped", password: "e2e-Capped-pass" };
  const created = await request.post("/api/user", { headers: { "x-nd-authorization": `Bearer ${token}` }, data: { userName: user.username, password: user.password } });
  expect(created.status()).toBe(201);

  await signIn(page, user);
  await page.goto("/account");
  await expect(page.getByText("No players yet: players appear when a client plays music")).toBeVisible();

  // A Subsonic client reports what it plays: that registers the player (user + client + user agent).
  const played = await request.get(`/rest/scrobble?u=${user.username}&p=${user.password}&v=1.16.1&c=e2e-client&f=json&id=any-song&submission=false`, {
    headers: { "user-agent": "E2E Agent" },
  });
  expect((await played.json())["subsonic-response"].status).toBe("ok");

  await page.reload();
  const row = page.getByTestId("player-row-e2e-client");
  await expect(row).toContainText("e2e-client [E2E Agent]");
  const cap = row.getByRole("combobox", { name: "Max bit rate of e2e-client [E2E Agent]" });
  await expect(cap).toHaveText("No limit");
  await cap.click();
  await page.getByRole("option", { name: "96 kbps" }).click();
  await expect(page.getByTestId("players-status")).toHaveText("e2e-client [E2E Agent]: 96 kbps");
  await page.reload();
  await expect(cap).toHaveText("96 kbps");
  await expect(page.getByTestId("user-max-bit-rate")).toHaveCount(0);

  // An admin caps the user on the users page; the user sees it, read-only.
  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await signIn(adminPage);
  await adminPage.goto("/admin/users");
  await adminPage.getByRole("button", { name: `edit ${user.username}` }).click();
  const dialog = adminPage.getByRole("dialog");
  await dialog.getByRole("combobox", { name: /Max bit rate/ }).click();
  await adminPage.getByRole("option", { name: "128 kbps" }).click();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(adminPage.getByTestId(`user-max-bit-rate-${user.username}`)).toHaveText("128 kbps");
  await admin.close();

  await page.reload();
  await expect(page.getByTestId("user-max-bit-rate")).toContainText("limits your streams to 128 kbps");
  await expect(cap).toHaveText("96 kbps");
});
