import { copyFileSync, rmSync } from "node:fs";
import path from "node:path";
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

/** The e2e server's plugins folder (playwright.config.ts: ND_DATAFOLDER=data/e2e). */
const PLUGINS_FOLDER = path.resolve("data/e2e/plugins");

/**
 * One test plugin through the admin API: `install` copies its built package into the
 * server's plugins folder and rescans; `uninstall` (for `finally`) deletes it through the
 * API and removes the file whatever happened.
 */
export function pluginAdmin(request: APIRequestContext, token: string, plugin: string) {
  const headers = { "x-nd-authorization": `Bearer ${token}` };
  return {
    headers,
    put: (data: object) => request.put(`/api/plugin/${plugin}`, { headers, data }),
    rescan: () => request.post("/api/plugin/rescan", { headers }),
    install: async () => {
      copyFileSync(path.resolve(`build/plugins/${plugin}.ndp`), path.join(PLUGINS_FOLDER, `${plugin}.ndp`));
      expect((await request.post("/api/plugin/rescan", { headers })).status()).toBe(200);
    },
    uninstall: async () => {
      await request.delete(`/api/plugin/${plugin}`, { headers });
      rmSync(path.join(PLUGINS_FOLDER, `${plugin}.ndp`), { force: true });
    },
  };
}

export const test = base;
export { expect };
