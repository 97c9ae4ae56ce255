import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { bootTestServer } from "../testing/boot-test-server";
import { serveApp } from "../testing/serve-app";
import { createUser } from "../users/users";

// Finding 4/5 of "Trust the sandbox": password guessing over Subsonic was not throttled
// (2 000 guesses in 9.5 s), the login limiter believed X-Forwarded-For, and without it every
// client shared one bucket, so ten bad logins locked every user out. Everything here goes
// through a real HTTP server with the production server's peer stamping (scripts/server.mjs).

let app: { url: string; close: () => Promise<void> };
beforeAll(async () => {
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  for (const name of ["victim-p", "victim-enc", "victim-t", "victim-x", "bystander"]) await createUser({ userName: name, password: `${name}-secret` });
  app = await serveApp([
    ["GET", /^\/rest\/(?<method>[^/]+)$/, (await import("@/app/rest/[...method]/route")).GET],
    ["POST", /^\/auth\/login$/, (await import("@/app/auth/login/route")).POST],
    ["POST", /^\/auth\/createAdmin$/, (await import("@/app/auth/createAdmin/route")).POST],
  ]);
});
afterAll(() => app.close());

const ping = async (q: string, headers: Record<string, string> = {}) =>
  (await (await fetch(`${app.url}/rest/ping?v=1.16.1&c=t&f=json&${q}`, { headers })).json())["subsonic-response"];

const login = (username: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/auth/login`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ username, password }) });

const spoofed = (i: number) => ({ "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `198.51.100.${i}`, "x-tessitura-peer": `10.0.0.${i}` });

describe("Subsonic credential guessing", () => {
  const md5 = (s: string) => createHash("md5").update(s).digest("hex");
  it.each([
    ["p", "victim-p", (pw: string) => `p=${encodeURIComponent(pw)}`],
    ["enc:", "victim-enc", (pw: string) => `p=enc:${Buffer.from(pw).toString("hex")}`],
    ["t+s", "victim-t", (pw: string) => `t=${md5(`${pw}salt1`)}&s=salt1`],
  ])("is throttled with %s: after 10 wrong guesses even the right password is refused, with code 40", async (_via, user, cred) => {
    for (let i = 0; i < 10; i++) expect((await ping(`u=${user}&${cred(`guess-${i}`)}`, spoofed(i))).error.code).toBe(40);
    const r = await ping(`u=${user}&${cred(`${user}-secret`)}`, spoofed(99));
    expect(r.status).toBe("failed");
    expect(r.error.code).toBe(40);
    expect(r.error.message).toMatch(/too many failed authentication attempts; try again in \d+ s/i);
  });

  it("counts wrong API keys per address and says so, while a right key keeps working", async () => {
    const { key } = await createApiKey((await (await import("../users/users")).findUserByName("bystander"))!.id, "phone");
    for (let i = 0; i < 10; i++) expect((await ping(`apiKey=tess_wrong${i}`, spoofed(i))).error).toMatchObject({ code: 44, message: "Invalid API key." });
    expect((await ping("apiKey=tess_wrong-again")).error).toMatchObject({ code: 44, message: expect.stringMatching(/too many failed/i) });
    expect((await ping(`apiKey=${key}`)).status).toBe("ok");
  });
});

describe("the client address", () => {
  it("one user's failures never lock another out (web login and Subsonic, same address)", async () => {
    for (let i = 0; i < 12; i++) await login("ghost", "x");
    expect((await login("ghost", "x")).status).toBe(429);
    expect((await login("admin", "admin-pass")).status).toBe(200);
    for (let i = 0; i < 12; i++) await ping("u=ghost&p=x");
    expect((await ping("u=admin&p=admin-pass")).status).toBe("ok");
  });

  it("forged X-Forwarded-For, X-Real-IP and peer headers neither split nor pick the bucket", async () => {
    for (let i = 0; i < 10; i++) expect((await login("victim-x", `guess-${i}`, spoofed(i))).status).toBe(401);
    const refused = await login("victim-x", "victim-x-secret", spoofed(50));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("spraying many accounts from one address is slowed, whatever headers it forges; known users are not", async () => {
    expect((await login("bystander", "bystander-secret")).status).toBe(200);
    // Past 20 distinct failing names the address gets one attempt per 3 s: back-to-back
    // attempts are refused unseen (429) instead of being checked.
    const statuses: number[] = [];
    for (let i = 0; i < 25 && !statuses.includes(429); i++) statuses.push((await login(`sprayed-${i}`, "Summer2026!", spoofed(i))).status);
    expect(statuses).toContain(429);
    expect(statuses.length).toBeLessThanOrEqual(21);
    expect((await login("bystander", "bystander-secret", spoofed(22))).status).toBe(200);
  });
});

describe("login CSRF", () => {
  it("refuses a cross-site text/plain login and a login from another origin", async () => {
    const body = JSON.stringify({ username: "admin", password: "admin-pass" });
    const plain = await fetch(`${app.url}/auth/login`, { method: "POST", headers: { "content-type": "text/plain" }, body });
    expect(plain.status).toBe(400);
    expect(plain.headers.get("set-cookie")).toBeNull();
    const crossSite = await fetch(`${app.url}/auth/login`, { method: "POST", headers: { "content-type": "application/json", origin: "https://evil.example" }, body });
    expect(crossSite.status).toBe(403);
    const form = await fetch(`${app.url}/auth/createAdmin`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "username=x&password=y" });
    expect(form.status).toBe(400);
    const sameSite = await fetch(`${app.url}/auth/login`, { method: "POST", headers: { "content-type": "application/json", origin: app.url }, body });
    expect(sameSite.status).toBe(200);
  });
});
