import { expect, test } from "./fixtures";

// Issue #9 item 3: every response carries the security headers, pages and API alike.
for (const url of ["/login", "/rest/ping?f=json", "/api/plugin"]) {
  test(`security headers on ${url}`, async ({ request }) => {
    const res = await request.get(url);
    const h = res.headers();
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["x-frame-options"]).toBe("SAMEORIGIN");
    expect(h["referrer-policy"]).toBe("same-origin");
    expect(h["content-security-policy"]).toContain("frame-ancestors 'self'");
    expect(h["content-security-policy"]).toContain("object-src 'none'");
    expect(h["x-powered-by"]).toBeUndefined();
  });
}

test("the pages work under the content security policy (no violations while signing in)", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  expect(violations).toEqual([]);
});
