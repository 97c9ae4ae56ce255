import { ADMIN, ensureAdmin, expect, test } from "./fixtures";

// The production server answers `/rest/<method>` on its fast path, before Next.js (issue #18:
// Next.js's own cost per request was more than a Python server's whole `ping`). Every path
// form clients use must answer as before, with what Next.js used to add: security headers,
// gzip for large documents, HEAD.
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

test("answers carry the security headers, large documents are gzipped, HEAD has no body", async ({ request }) => {
  const ping = await request.get(`/rest/ping.view?${AUTH}`);
  expect(ping.headers()["x-content-type-options"]).toBe("nosniff");
  expect(ping.headers()["content-security-policy"]).toContain("object-src 'none'");
  // The demo library's four albums as XML: over the 1 kB below which documents go as they are.
  const big = await request.get(`/rest/getAlbumList2.view?type=alphabeticalByName&size=50&${AUTH.replace("&f=json", "")}`, { headers: { "Accept-Encoding": "gzip" } });
  expect(big.status()).toBe(200);
  const xml = await big.text(); // decompressed by the client
  expect(xml).toContain("<albumList2>");
  expect(xml.length).toBeGreaterThan(1024);
  expect(big.headers()["content-encoding"]).toBe("gzip");
  expect(big.headers()["vary"]).toContain("Accept-Encoding");
  const head = await request.head(`/rest/ping.view?${AUTH}`);
  expect(head.status()).toBe(200);
  expect((await head.body()).length).toBe(0);
});
