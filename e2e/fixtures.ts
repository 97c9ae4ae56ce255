import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";

export const ADMIN = { username: "admin", password: "e2e-Admin-pass" };

/** Creates the first admin through the API when the first-run spec has not already. */
export async function ensureAdmin(request: APIRequestContext): Promise<void> {
  const res = await request.post("/auth/createAdmin", { data: ADMIN });
  expect([200, 403]).toContain(res.status());
}

export async function apiToken(request: APIRequestContext, creds = ADMIN): Promise<string> {
  const res = await request.post("/auth/login", { data: creds });
  expect(res.ok()).toBeTruthy();
  return (await res.json()).token;
}

export async function signIn(page: Page, creds = ADMIN): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username").fill(creds.username);
  await page.getByLabel(/^Password/).fill(creds.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText(creds.username);
}

export const test = base;
export { expect };
