import { createHash } from "node:crypto";
import { ADMIN, apiToken, ensureAdmin, expect, signIn, test } from "./fixtures";

test.beforeAll(async ({ request }) => ensureAdmin(request));

test("login shows a clear error for a wrong password, then signs in and out", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel(/^Password/).fill("wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Invalid username or password" })).toBeVisible();

  await signIn(page);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "tessitura_session");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/login$/);
});

test("the Navidrome API shape: POST /auth/login answers a token accepted as x-nd-authorization", async ({ request, playwright, baseURL }) => {
  const res = await request.post("/auth/login", { data: ADMIN });
  expect(res.ok()).toBeTruthy();
  const body = await res.json();
  expect(body).toMatchObject({ username: "admin", isAdmin: true });
  expect(body.token.split(".")).toHaveLength(3);
  expect(body.subsonicToken).toBe(createHash("md5").update(ADMIN.password + body.subsonicSalt).digest("hex"));

  // A clean context (no cookie): only the header authenticates.
  const bare = await playwright.request.newContext({ baseURL });
  expect((await bare.get("/api/user")).status()).toBe(401);
  const withHeader = await bare.get("/api/user", { headers: { "x-nd-authorization": `Bearer ${body.token}` } });
  expect(withHeader.status()).toBe(200);
  expect(withHeader.headers()["x-total-count"]).toBeDefined();
  expect(withHeader.headers()["x-nd-authorization"]).toBeTruthy();
  expect((await bare.get("/api/user", { headers: { "x-nd-authorization": "Bearer forged.token.value" } })).status()).toBe(401);
  await bare.dispose();
});

test("Subsonic ping authenticates with password, enc: password and token+salt", async ({ request }) => {
  const ok = async (q: string) => {
    const r = await request.get(`/rest/ping?v=1.16.1&c=e2e&f=json&${q}`);
    return (await r.json())["subsonic-response"];
  };
  expect(await ok(`u=admin&p=${ADMIN.password}`)).toMatchObject({ status: "ok", version: "1.16.1", openSubsonic: true, type: "tessitura" });
  expect((await ok(`u=admin&p=enc:${Buffer.from(ADMIN.password).toString("hex")}`)).status).toBe("ok");
  const salt = "c19b2d";
  const t = createHash("md5").update(ADMIN.password + salt).digest("hex");
  expect((await ok(`u=admin&t=${t}&s=${salt}`)).status).toBe("ok");
  expect(await ok("u=admin&p=nope")).toMatchObject({ status: "failed", error: { code: 40 } });
  const xml = await (await request.get(`/rest/ping.view?u=admin&p=${ADMIN.password}&v=1.16.1&c=e2e`)).text();
  expect(xml).toContain('<subsonic-response xmlns="http://subsonic.org/restapi" status="ok"');
});

test("login is rate-limited after repeated failures, for that user only", async ({ playwright, baseURL, request }) => {
  // A forged X-Forwarded-For changes nothing: the server takes the socket address (no trusted proxy here).
  const ctx = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": "203.0.113.9" } });
  let last = 0;
  for (let i = 0; i < 11; i++) last = (await ctx.post("/auth/login", { data: { username: "ghost", password: "x" } })).status();
  expect(last).toBe(429);
  await ctx.dispose();
  // Same address, another user: not locked out.
  expect((await request.post("/auth/login", { data: ADMIN })).status()).toBe(200);
});

test("API errors are JSON messages, never stack traces", async ({ request }) => {
  const token = await apiToken(request);
  const res = await request.post("/api/user", { headers: { "x-nd-authorization": `Bearer ${token}`, "content-type": "application/json" }, data: Buffer.from("{not json") });
  expect(res.status()).toBe(400);
  expect(await res.json()).toEqual({ error: "request body is not valid JSON" });
});
