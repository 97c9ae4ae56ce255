import { ADMIN, ensureAdmin, expect, test } from "./fixtures";

// scripts/server.mjs hands `/rest/<method>` calls to the static `/rest` route (issue #18: the
// catch-all's dynamic-route matching cost 15-20 % of a ping). Every path form clients use must
// answer as before, in the production server, and the forwarding header must not be forgeable.
const AUTH = `u=${ADMIN.username}&p=${encodeURIComponent(ADMIN.password)}&v=1.16.1&c=e2e&f=json`;

test.beforeAll(async ({ request }) => {
  await ensureAdmin(request);
});

async function call(request: import("@playwright/test").APIRequestContext, path: string, headers?: Record<string, string>) {
  const res = await request.get(`${path}${path.includes("?") ? "&" : "?"}${AUTH}`, { headers });
  expect(res.status(), path).toBe(200);
  return (await res.json())["subsonic-response"];
}

test("every path form of a Subsonic call reaches its method", async ({ request }) => {
  for (const path of ["/rest/ping.view", "/rest/ping", "/rest/ping.view/", "/rest/ping/"]) expect((await call(request, path)).status, path).toBe("ok");
  expect((await call(request, "/rest/getLicense.view")).license.valid).toBe(true);
  expect((await call(request, "/rest/getMusicFolders")).musicFolders).toBeDefined();
  const unknown = await call(request, "/rest/noSuchMethod.view");
  expect(unknown.error).toMatchObject({ code: 0, message: "Not implemented: noSuchMethod" });
  // XML by default, POSTed forms (OpenSubsonic formPost) too.
  const xml = await (await request.get(`/rest/ping.view?${AUTH.replace("&f=json", "")}`)).text();
  expect(xml).toContain('<subsonic-response xmlns="http://subsonic.org/restapi" status="ok"');
  const form = Object.fromEntries(new URLSearchParams(AUTH));
  const posted = await request.post("/rest/getLicense.view", { form });
  expect((await posted.json())["subsonic-response"].license.valid).toBe(true);
});

test("the forwarding header is the server's own: a client-sent one names nothing", async ({ request }) => {
  const forged = await call(request, "/rest/getLicense.view", { "X-Tessitura-Subsonic-Path": "/rest/getUsers.view" });
  expect(forged.license).toBeDefined();
  expect(forged.users).toBeUndefined();
  const bare = await call(request, "/rest", { "x-tessitura-subsonic-path": "/rest/getLicense.view" });
  expect(bare.status).toBe("failed");
  expect(bare.license).toBeUndefined();
});
