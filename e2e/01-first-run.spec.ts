import { ADMIN, expect, test } from "./fixtures";

test("a fresh server asks for the first admin, then signs them in", async ({ page, request }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/create-admin$/);
  await expect(page.getByRole("heading", { name: "Create the first admin" })).toBeVisible();

  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByLabel("Confirm password").fill("something else");
  await page.getByRole("button", { name: "Create admin" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The passwords do not match" })).toBeVisible();

  await page.getByLabel("Confirm password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("current-user")).toHaveText("admin");

  // The first-run endpoint and page are closed from now on.
  const again = await request.post("/auth/createAdmin", { data: { username: "intruder", password: "x" } });
  expect(again.status()).toBe(403);
  await page.goto("/create-admin");
  await expect(page).toHaveURL(/\/$|\/login$/);
});
