import { ensureAdmin, expect, signIn, test } from "./fixtures";

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
