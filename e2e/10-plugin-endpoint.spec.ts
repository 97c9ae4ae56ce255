import type { APIRequestContext, Page } from "@playwright/test";
import { apiToken, ensureAdmin, expect, signIn, test, pluginAdmin } from "./fixtures";

// An HTTPEndpoint plugin (addendum A2, open PR #5045) serves an HTML page at
// /ext/test-http-endpoint/page with an inline script that would rewrite #script-ran. Through
// the real Next.js server the page arrives with the sandboxing policy (next.config.ts must
// not let the app-wide CSP, which allows inline scripts, win), so the browser shows the page
// and the script does not run. The plugin's admin page lists its URLs and warns that they
// need no login.

const PLUGIN = "test-http-endpoint";
const ENDPOINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

let token: string;

test.beforeAll(async ({ request }) => {
  await ensureAdmin(request);
  token = await apiToken(request);
});

const adminApi = (request: APIRequestContext) => pluginAdmin(request, token, PLUGIN);

/**
 * The page's live DOM through the DevTools DOM domain. Playwright's locators evaluate
 * script in the page, which a `sandbox` policy without `allow-scripts` may refuse; the DOM
 * domain needs no script, and it reflects whatever a script changed.
 */
async function liveHtml(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
    return (await cdp.send("DOM.getOuterHTML", { nodeId: root.nodeId })).outerHTML;
  } finally {
    await cdp.detach();
  }
}

test("a plugin's page opens sandboxed (its script does not run), and its admin page lists the URLs with a warning", async ({ page, request }) => {
  const api = adminApi(request);
  try {
    await api.install();
    // Not loaded yet: the URL is not served.
    expect((await request.get(`/ext/${PLUGIN}/page`)).status()).toBe(404);
    // auth "none" needs no users permission, so nothing gates enabling.
    expect((await api.put({ enabled: true })).status()).toBe(200);

    // Both mounts reach the plugin without any credential.
    const echo = await request.post(`/rest/ext/${PLUGIN}/echo?x=1`, { data: "hello", headers: { "content-type": "text/plain" } });
    expect(echo.status()).toBe(200);
    expect(await echo.json()).toMatchObject({ request: { method: "POST", path: "/echo", query: "x=1" }, bodyText: "hello" });

    // The browser, anonymous: the page is shown under the endpoint policy, not the app's.
    const response = await page.goto(`/ext/${PLUGIN}/page`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toBe(ENDPOINT_CSP);
    expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
    const html = await liveHtml(page);
    expect(html).toContain('<h1 id="greeting">Hello from a plugin</h1>');
    // The inline script would have replaced this text while the page was parsed (before load).
    expect(html).toContain('<p id="script-ran">script did not run</p>');
    expect(html).not.toContain("script ran<");

    // The admin page: both URLs of every declared path, the auth mode and the warning chip.
    await signIn(page);
    await page.getByRole("link", { name: "Plugins", exact: true }).click();
    await page.getByTestId(`plugin-row-${PLUGIN}`).getByRole("link", { name: PLUGIN }).click();
    await expect(page.getByRole("heading", { name: PLUGIN })).toBeVisible();
    const card = page.getByTestId("endpoints-card");
    await expect(card).toBeVisible();
    await expect(card.getByTestId("endpoint-row")).toHaveCount(4);
    const pageRow = card.getByTestId("endpoint-row").filter({ hasText: `/ext/${PLUGIN}/page` });
    await expect(pageRow).toContainText(`/ext/${PLUGIN}/page`);
    await expect(pageRow).toContainText(`/rest/ext/${PLUGIN}/page`);
    await expect(card.getByTestId("endpoints-auth")).toContainText("Anyone: no login");
    const chip = card.getByTestId("endpoints-unauthenticated");
    await expect(chip).toHaveText("unauthenticated");
    await chip.hover();
    await expect(page.getByRole("tooltip")).toContainText("without logging in");
    // Served: no "answers 404" note while the plugin is enabled.
    await expect(card).not.toContainText("answer 404");
  } finally {
    await api.uninstall();
  }
});
