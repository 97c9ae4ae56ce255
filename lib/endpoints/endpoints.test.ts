import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as extRoute from "../../app/ext/[pluginId]/[[...path]]/route";
import * as restExtRoute from "../../app/rest/ext/[pluginId]/[[...path]]/route";
import { AUTH_HEADER, tokenFor } from "../auth/session";
import { PEER_HEADER } from "../http/client-address";
import type { PluginManager } from "../plugins/manager";
import { setSettings, settings } from "../server/settings";
import { bootWithVariants } from "../testing/host-plugins";
import { serveApp, type AppRoute } from "../testing/serve-app";
import { createUser, findUserByName } from "../users/users";
import { ENDPOINT_CSP, WITHHELD_REQUEST_HEADERS } from "./headers";
import { handlePluginEndpoint } from "./handle";
import { slidingWindowLimiter } from "./rate-limit";

const BASE = "test-http-endpoint";
let manager: PluginManager;
let url: string;
let close: () => Promise<void>;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

type RouteModule = typeof extRoute;
/** serveApp hands the rest of the path as one string; Next.js gives the catch-all as segments. */
const mount = (prefix: string, mod: RouteModule): AppRoute[] =>
  ["GET", "POST", "PUT", "DELETE"].map((m) => [
    m,
    new RegExp(`^${prefix}/(?<pluginId>[^/]+)(?:/(?<path>.*))?$`),
    async (req, ctx) => {
      const { pluginId, path } = await ctx.params;
      return (mod[m as "GET"] as (r: Request, c: unknown) => Promise<Response>)(req, { params: Promise.resolve({ pluginId, path: path === undefined ? undefined : path.split("/") }) });
    },
  ]);

beforeAll(async () => {
  ({ manager } = await bootWithVariants(
    [
      { base: BASE, id: "ep-none" },
      { base: BASE, id: "ep-native", manifest: (m) => void Object.assign(m.permissions!, { endpoints: { auth: "native" }, users: {} }) },
      { base: BASE, id: "ep-subsonic", manifest: (m) => void Object.assign(m.permissions!, { endpoints: { auth: "subsonic" }, users: {} }) },
      { base: BASE, id: "ep-no-permission", manifest: (m) => void delete m.permissions!.endpoints },
      { base: BASE, id: "ep-disabled" },
    ],
    { ND_SCANNER_SCANONSTARTUP: "false", ND_PLUGINS_ENDPOINTREQUESTLIMIT: "0" },
  ));
  const alice = await createUser({ userName: "alice", name: "Alice", password: "alice-secret-pw" });
  const bob = await createUser({ userName: "bob", password: "bob-secret-pw" });
  Object.assign(ids, { alice: alice.id, bob: bob.id });
  // createUser answers the public view; a token needs the row (its token generation).
  tokens.alice = await tokenFor((await findUserByName("alice"))!);
  tokens.bob = await tokenFor((await findUserByName("bob"))!);
  await manager.enable("ep-none");
  for (const id of ["ep-native", "ep-subsonic"]) {
    await manager.saveSettings(id, { users: [alice.id] });
    await manager.enable(id);
  }
  ({ url, close } = await serveApp([...mount("/rest/ext", restExtRoute), ...mount("/ext", extRoute)]));
});

afterAll(async () => close?.());

const echo = async (res: Response) => {
  expect(res.status).toBe(200);
  return (await res.json()) as { request: { method: string; path: string; query?: string; headers?: Record<string, string[]>; user?: Record<string, unknown> }; bodyText: string; bodyLength: number };
};

describe("withheld headers", () => {
  it("name the session and peer headers the server actually uses", () => {
    expect(WITHHELD_REQUEST_HEADERS.has(AUTH_HEADER.toLowerCase())).toBe(true);
    expect(WITHHELD_REQUEST_HEADERS.has(PEER_HEADER.toLowerCase())).toBe(true);
  });
});

describe("manifest and loading (A2.2, A2.3)", () => {
  it("refuses to load a plugin exporting nd_http_handle_request without the endpoints permission", async () => {
    await expect(manager.enable("ep-no-permission")).rejects.toThrow("HTTP endpoint capability requires 'endpoints' permission to be declared in manifest");
  });
  it("detects the HTTPEndpoint capability", () => {
    expect(manager.loadedPlugin("ep-none")?.capabilities).toContain("HTTPEndpoint");
  });
});

describe("auth none", () => {
  it("serves the plugin's HTML page with the forced security headers on both mounts", async () => {
    for (const prefix of ["/ext", "/rest/ext"]) {
      const res = await fetch(`${url}${prefix}/ep-none/page`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("content-security-policy")).toBe(ENDPOINT_CSP);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(await res.text()).toContain("Hello from a plugin");
    }
  });

  it("passes method, path, query, headers and body, without a user and without our credentials", async () => {
    const body = await echo(
      await fetch(`${url}/ext/ep-none/echo/deeper?a=1&b=two%20words`, {
        method: "POST",
        headers: { "Content-Type": "text/plain", "X-Custom": "yes", Cookie: "tessitura_session=secret-session", "X-ND-Authorization": "Bearer secret-token" },
        body: "héllo body",
      }),
    );
    expect(body.request).toMatchObject({ method: "POST", path: "/echo/deeper", query: "a=1&b=two%20words" });
    expect(body.request.headers?.["Content-Type"]).toEqual(["text/plain"]);
    expect(body.request.headers?.["X-Custom"]).toEqual(["yes"]);
    expect(body.request.user).toBeUndefined();
    expect(JSON.stringify(body.request)).not.toMatch(/secret-session|secret-token|X-Tessitura-Peer/i);
    expect(body.bodyText).toBe("héllo body");
    expect(body.bodyLength).toBe(Buffer.byteLength("héllo body"));
  });

  it("gives the root path as an empty string, with or without the trailing slash", async () => {
    // The test plugin answers unknown paths with its own 404; the echo shows the path it saw only on /echo, so ask the root twice.
    for (const suffix of ["", "/"]) {
      const res = await fetch(`${url}/ext/ep-none${suffix}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe("no such page in the plugin");
    }
  });

  it("keeps the plugin's status and multi-valued headers but overrides security headers and drops cookies", async () => {
    const res = await fetch(`${url}/ext/ep-none/headers`);
    expect(res.status).toBe(201);
    expect(res.headers.get("x-plugin")).toBe("one, two");
    expect(res.headers.get("content-security-policy")).toBe(ENDPOINT_CSP);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await res.text()).toBe("headers set");
  });

  it("answers 500 without the plugin's message for every kind of plugin failure", async () => {
    for (const path of ["fail", "trap", "malformed", "not-implemented"]) {
      const res = await fetch(`${url}/ext/ep-none/${path}`);
      expect(res.status, path).toBe(500);
      const text = await res.text();
      expect(text).toBe("Internal Server Error\n");
      expect(text).not.toContain("secret");
    }
  });

  it("refuses a body over 1 MiB with 413 before calling the plugin, and accepts exactly 1 MiB", async () => {
    const over = await fetch(`${url}/ext/ep-none/echo`, { method: "POST", body: new Uint8Array(1024 * 1024 + 1) });
    expect(over.status).toBe(413);
    const at = await echo(await fetch(`${url}/ext/ep-none/echo`, { method: "POST", body: new Uint8Array(1024 * 1024).fill(65) }));
    expect(at.bodyLength).toBe(1024 * 1024);
  });

  it("answers 404 for unknown, disabled and permission-less plugins", async () => {
    for (const id of ["nope", "ep-disabled", "ep-no-permission"]) {
      const res = await fetch(`${url}/ext/${id}/page`);
      expect(res.status, id).toBe(404);
    }
  });

  it("stops serving when the plugin is disabled", async () => {
    await manager.enable("ep-disabled");
    expect((await fetch(`${url}/ext/ep-disabled/page`)).status).toBe(200);
    await manager.disable("ep-disabled");
    expect((await fetch(`${url}/ext/ep-disabled/page`)).status).toBe(404);
  });
});

describe("auth native", () => {
  it("401s without a session, with Navidrome's JSON body", async () => {
    const res = await fetch(`${url}/ext/ep-native/echo`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Not authenticated" });
    expect((await fetch(`${url}/ext/ep-native/echo`, { headers: { "X-ND-Authorization": "Bearer forged" } })).status).toBe(401);
  });

  it("403s a signed-in user outside the plugin's users", async () => {
    const res = await fetch(`${url}/ext/ep-native/echo`, { headers: { "X-ND-Authorization": `Bearer ${tokens.bob}` } });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("Forbidden\n");
  });

  it("passes the user (header or cookie session) and withholds the token", async () => {
    const viaHeader = await echo(await fetch(`${url}/ext/ep-native/echo`, { headers: { "X-ND-Authorization": `Bearer ${tokens.alice}` } }));
    expect(viaHeader.request.user).toEqual({ id: ids.alice, username: "alice", name: "Alice", isAdmin: false });
    expect(JSON.stringify(viaHeader)).not.toContain(tokens.alice);
    const viaCookie = await echo(await fetch(`${url}/rest/ext/ep-native/echo`, { headers: { Cookie: `tessitura_session=${tokens.alice}` } }));
    expect(viaCookie.request.user?.username).toBe("alice");
  });

  it("refuses a cross-site cookie-authenticated write", async () => {
    const res = await fetch(`${url}/ext/ep-native/echo`, { method: "POST", headers: { Cookie: `tessitura_session=${tokens.alice}`, Origin: "https://evil.example" }, body: "x" });
    expect(res.status).toBe(403);
  });
});

describe("auth subsonic", () => {
  it("401s without or with wrong credentials", async () => {
    for (const q of ["", "?u=alice", "?u=alice&p=wrong"]) {
      const res = await fetch(`${url}/rest/ext/ep-subsonic/echo${q}`);
      expect(res.status, q).toBe(401);
      expect(await res.text()).toBe("Unauthorized\n");
    }
  });

  it("403s a valid user outside the plugin's users", async () => {
    expect((await fetch(`${url}/rest/ext/ep-subsonic/echo?u=bob&p=bob-secret-pw`)).status).toBe(403);
  });

  it("passes the user, with credentials removed from the query; form posts arrive as query parameters", async () => {
    const got = await echo(await fetch(`${url}/rest/ext/ep-subsonic/echo?u=alice&p=enc:${Buffer.from("alice-secret-pw").toString("hex")}&x=1`));
    expect(got.request.user).toEqual({ id: ids.alice, username: "alice", name: "Alice", isAdmin: false });
    expect(got.request.query).toBe("u=alice&x=1");
    const form = await echo(
      await fetch(`${url}/ext/ep-subsonic/echo?x=1`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "u=alice&p=alice-secret-pw&y=2" }),
    );
    expect(form.request.query).toBe("x=1&u=alice&y=2");
    expect(form.bodyLength).toBe(0);
  });
});

describe("rate limit (A2.8)", () => {
  it("follows Plugins.EndpointRequestLimit per client address through the real route", async () => {
    const saved = settings();
    setSettings({ ...saved, Plugins: { ...saved.Plugins, EndpointRequestLimit: 2, EndpointRequestWindow: "1h" } });
    try {
      expect((await fetch(`${url}/ext/ep-none/page`)).status).toBe(200);
      expect((await fetch(`${url}/rest/ext/ep-none/page`)).status).toBe(200);
      const limited = await fetch(`${url}/ext/nope/page`);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      setSettings(saved);
    }
    expect((await fetch(`${url}/ext/ep-none/page`)).status).toBe(200);
  });

  it("slides its window with the clock", async () => {
    let now = 60_000 * 100;
    const limiter = slidingWindowLimiter(2, 60_000);
    const served = await serveApp([["GET", /^\/x$/, (req) => handlePluginEndpoint(req, "ep-none", ["page"], { limiter, now: () => now })]]);
    try {
      const status = async () => (await fetch(`${served.url}/x`)).status;
      expect([await status(), await status(), await status()]).toEqual([200, 200, 429]);
      now += 60_000; // next window, previous one still weighs fully at its start
      expect(await status()).toBe(429);
      now += 30_000; // halfway: the previous window counts half (1), so one more fits
      expect([await status(), await status()]).toEqual([200, 429]);
      now += 120_000;
      expect(await status()).toBe(200);
    } finally {
      await served.close();
    }
  });
});
