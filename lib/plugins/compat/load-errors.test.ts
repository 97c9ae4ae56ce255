import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH_HEADER, tokenFor } from "../../auth/session";
import { db } from "../../db/client";
import { findPlugin } from "../../db/plugins";
import { bootWithVariants } from "../../testing/host-plugins";
import { serveHandler } from "../../testing/serve-handler";
import * as pluginRoute from "../../../app/api/plugin/[id]/route";
import type { PluginManager } from "../manager";
import { providedHostServices } from "../host/registry";
import { HOST_FUNCTIONS } from "../../../scripts/ndp/host-functions";
import { classifyImport, describeUnresolvedImports } from "./classify";

// Load errors say why an import is missing (addendum A5.6), in the same words wherever an
// admin or author meets them: the plugin's lastError, the API resource, and (see
// scripts/compat-cli.test.ts) `npm run plugin` and `ndp validate`.

const FUTURE = /^creating instance: "playlist_create" is not exported in module "extism:host\/user": unknown to every Navidrome release up to v0\.64\.0/;
const LACKS = /^creating instance: "kvstore_get" is not exported in module "extism:host\/user": manifest lacks permission "kvstore"$/;

describe("classifyImport (the three verdicts)", () => {
  const ctx = { declaredPermissions: ["users"], providedPermissions: ["config", "kvstore", "users", "subsonicapi"] };

  it("says which permission is missing for a function this host provides", () => {
    expect(classifyImport({ module: "extism:host/user", name: "kvstore_getmany" }, ctx)).toEqual({ kind: "lacks-permission", permission: "kvstore" });
  });

  it("names the release of a function known to Navidrome that this host does not provide", () => {
    // matcher is not in this context's provided list: as if this host had no Matcher service
    expect(classifyImport({ module: "extism:host/user", name: "matcher_matchsongs" }, ctx)).toEqual({ kind: "not-provided", introduced: "Navidrome v0.63.0" });
    expect(describeUnresolvedImports([{ module: "extism:host/user", name: "http_send" }], ctx)).toBe(
      '"http_send" is not exported in module "extism:host/user": needs host function http_send, added in Navidrome v0.61.0, which this server does not provide',
    );
  });

  it("matches permission keys case-insensitively, as Go decodes them", () => {
    const c = { declaredPermissions: ["scrobbleretriever"], providedPermissions: ["scrobbleRetriever"] };
    expect(classifyImport({ module: "extism:host/user", name: "scrobbleretriever_getscrobbles" }, c).kind).toBe("not-provided");
    expect(classifyImport({ module: "extism:host/user", name: "scrobbleretriever_getscrobbles" }, { ...c, declaredPermissions: [] })).toEqual({
      kind: "lacks-permission",
      permission: "scrobbleRetriever",
    });
  });

  it("lists every unresolved import, and leaves other modules' wording alone", () => {
    expect(describeUnresolvedImports([{ module: "extism:host/user", name: "nope_nope" }, { module: "env", name: "abort" }], ctx)).toBe(
      '"nope_nope" is not exported in module "extism:host/user": unknown to every Navidrome release up to v0.64.0 (built for a newer Navidrome or a fork?); "abort" is not exported in module "env"',
    );
  });
});

describe("a plugin that does not load says why (manager lastError, API resource)", () => {
  type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
  let manager: PluginManager;
  let admin = "";
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    ({ manager } = await bootWithVariants([{ base: "wat-future-import" }, { base: "wat-missing-import" }, { base: "test-subsonicapi-plugin" }], {
      ND_SCANNER_SCANONSTARTUP: "false",
    }));
    admin = await tokenFor(await db().user.findFirstOrThrow({ where: { isAdmin: true } }));
    server = await serveHandler(async (req) => {
      const id = decodeURIComponent(new URL(req.url).pathname.split("/")[3]);
      const handler = req.method === "GET" ? pluginRoute.GET : pluginRoute.PUT;
      return (handler as Handler)(req, { params: Promise.resolve({ id }) });
    });
  });
  afterAll(() => server?.close());

  const api = async (method: string, id: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/plugin/${id}`, {
      method,
      headers: { "content-type": "application/json", [AUTH_HEADER]: `Bearer ${admin}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it.each([
    ["wat-future-import", FUTURE],
    ["wat-missing-import", LACKS],
  ])("%s: the classified message in lastError and in the API's refusal and resource", async (id, message) => {
    await expect(manager.enable(id)).rejects.toThrow(message);
    expect((await findPlugin(id))!.lastError).toMatch(message);

    const refused = await api("PUT", id, { enabled: true });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatch(message);
    const resource = await api("GET", id);
    expect(resource.status).toBe(200);
    expect(resource.body).toMatchObject({ enabled: false, lastError: expect.stringMatching(message) });
  });

  it("notes on the activity log that subsonicapi_callraw answers in the v0.61.0+ format (A5.5)", async () => {
    await manager.saveSettings("test-subsonicapi-plugin", { allUsers: true });
    await manager.enable("test-subsonicapi-plugin");
    const lines = manager.loadedPlugin("test-subsonicapi-plugin")!.activity.recentLines();
    expect(lines).toContainEqual(expect.objectContaining({ level: "info", message: expect.stringMatching(/^subsonicapi_callraw answers in the Navidrome v0\.61\.0\+ JSON format/) }));
  });
});

describe("what the classifier is told this host provides", () => {
  it("is every host service of the registry, the same set the version-table test checks", () => {
    expect(providedHostServices().sort()).toEqual(Object.keys(HOST_FUNCTIONS).sort());
  });
});
