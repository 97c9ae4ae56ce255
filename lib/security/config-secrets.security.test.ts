import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH_HEADER, tokenFor } from "../auth/session";
import { db } from "../db/client";
import { findPlugin, updatePlugin } from "../db/plugins";
import type { PluginManager } from "../plugins/manager";
import type { Manifest } from "../plugins/manifest/types";
import { activityView, pluginView } from "../plugin-admin/views";
import { bootWithVariants } from "../testing/host-plugins";
import { serveHandler } from "../testing/serve-handler";
import * as listRoute from "../../app/api/plugin/route";
import * as pluginRoute from "../../app/api/plugin/[id]/route";
import * as activityRoute from "../../app/api/plugin/[id]/activity/route";

// Finding 6 of "Trust the sandbox": password fields inside arrays and in anyOf/oneOf
// branches were returned in clear by GET /api/plugin/:id. Drives the real routes over HTTP
// with a real package whose manifest marks secrets in every kind of place.

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const ID = "test-config";
const MASK = "••••••••";
const str = { type: "string" };

/** test-config with secrets in an array (uiSchema detail), anyOf branches, a map, and a pattern on the top-level key. */
function secretManifest(m: Manifest): void {
  m.config = {
    schema: {
      type: "object",
      $defs: { cred: { type: "object", properties: { user: str, token: str }, required: ["user", "token"] } },
      properties: {
        greeting: str,
        apiKey: { type: "string", pattern: "^k-" },
        accounts: { type: "array", items: { $ref: "#/$defs/cred" } },
        auth: { anyOf: [{ type: "object", properties: { bearer: { type: "string", format: "password" } } }, { type: "object", properties: { user: str, pass: { type: "string", writeOnly: true } } }] },
        vault: { type: "object", additionalProperties: { type: "string", format: "password" } },
      },
      required: ["apiKey"],
    },
    uiSchema: {
      type: "VerticalLayout",
      elements: [
        { type: "Control", scope: "#/properties/greeting" },
        { type: "Control", scope: "#/properties/apiKey", options: { format: "password" } },
        {
          type: "Control",
          scope: "#/properties/accounts",
          options: { detail: { type: "VerticalLayout", elements: [{ type: "Control", scope: "#/properties/user" }, { type: "Control", scope: "#/properties/token", options: { format: "password" } }] } },
        },
        { type: "Control", scope: "#/properties/auth" },
        { type: "Control", scope: "#/properties/vault" },
      ],
    },
  } as Manifest["config"];
}

const SECRETS = ["k-live-1", "tok-ana-1", "tok-bo-2", "pass-3", "vault-4"];
const CONFIG = {
  greeting: "Hello",
  apiKey: "k-live-1",
  accounts: [
    { user: "ana", token: "tok-ana-1" },
    { user: "bo", token: "tok-bo-2" },
  ],
  auth: { user: "root", pass: "pass-3" },
  vault: { backup: "vault-4" },
};

let manager: PluginManager;
let admin = "";
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  ({ manager } = await bootWithVariants([{ base: ID, manifest: secretManifest }], { ND_SCANNER_SCANONSTARTUP: "false" }));
  admin = await tokenFor(await db().user.findFirstOrThrow({ where: { isAdmin: true } }));
  // The routes as Next mounts them: /api/plugin, /api/plugin/:id, /api/plugin/:id/activity.
  server = await serveHandler(async (req) => {
    const parts = new URL(req.url).pathname.split("/").slice(3).map(decodeURIComponent);
    const params: Record<string, string> = parts.length ? { id: parts[0] } : {};
    const handler = parts.length === 0 ? listRoute.GET : parts[1] === "activity" ? activityRoute.GET : pluginRoute[req.method as "GET" | "PUT"];
    return (handler as Handler)(req, { params: Promise.resolve(params) });
  });
});
afterAll(() => server?.close());

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/api/plugin${path}`, {
    method,
    headers: { "content-type": "application/json", [AUTH_HEADER]: `Bearer ${admin}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: text.startsWith("{") || text.startsWith("[") ? JSON.parse(text) : {} };
}

const expectNoSecrets = (text: string, secrets = SECRETS) => {
  for (const s of secrets) expect(text, `${s} leaked`).not.toContain(s);
};

/** What the plugin itself reads from its config (the host's config_get answer). */
async function pluginSees(key: string): Promise<string> {
  const r = await manager.call<{ value?: string }>(ID, "nd_test_config", { op: "get", key });
  return r?.value ?? "";
}

describe("plugin config secrets over the native API", () => {
  it("a save answers with the secrets masked, and GET one, the list, and the detail page never show them", async () => {
    const saved = await api("PUT", `/${ID}`, { config: JSON.stringify(CONFIG) });
    expect(saved.status).toBe(200);
    expectNoSecrets(saved.text);

    const one = await api("GET", `/${ID}`);
    expect(one.status).toBe(200);
    expectNoSecrets(one.text);
    const shown = JSON.parse(one.json.config as string);
    expect(shown).toMatchObject({ greeting: "Hello", accounts: [{ user: "ana" }, { user: "bo" }], auth: { user: "root" } });
    for (const v of [shown.apiKey, shown.accounts[0].token, shown.accounts[1].token, shown.auth.pass, shown.vault.backup]) expect(v).toMatch(/^••••••••#/);

    expectNoSecrets((await api("GET", "")).text);
    expectNoSecrets(JSON.stringify(pluginView((await findPlugin(ID))!)));
  });

  it("a save that deletes the first account keeps the second account's secret, takes new ones, and the plugin gets the real values", async () => {
    const shown = JSON.parse((await api("GET", `/${ID}`)).json.config as string);
    const next = { ...shown, accounts: [shown.accounts[1], { user: "cy", token: "tok-cy-5" }] };
    const saved = await api("PUT", `/${ID}`, { config: JSON.stringify(next) });
    expect(saved.status).toBe(200);
    expectNoSecrets(saved.text, [...SECRETS, "tok-cy-5"]);

    expect((await api("PUT", `/${ID}`, { enabled: true })).status).toBe(200);
    expect(JSON.parse(await pluginSees("accounts"))).toEqual([
      { token: "tok-bo-2", user: "bo" },
      { token: "tok-cy-5", user: "cy" },
    ]);
    expect(await pluginSees("apiKey")).toBe("k-live-1");
    expect(JSON.parse(await pluginSees("auth"))).toEqual({ pass: "pass-3", user: "root" });
    expect(JSON.parse(await pluginSees("vault"))).toEqual({ backup: "vault-4" });
  });

  it("a save with masks that match no stored secret is refused with the field named, and nothing changes", async () => {
    const before = (await findPlugin(ID))!.config;
    const stale = await api("PUT", `/${ID}`, { config: JSON.stringify({ apiKey: MASK, accounts: [{ user: "bo", token: MASK }] }) });
    expect(stale.status).toBe(400);
    expect(stale.json.fields).toEqual({ "accounts/0/token": expect.stringContaining("ambiguous") });
    expect((await findPlugin(ID))!.config).toBe(before);
  });

  it("validation errors name the field without echoing the secret", async () => {
    const bad = await api("PUT", `/${ID}`, { config: JSON.stringify({ ...CONFIG, apiKey: "not-a-valid-key" }) });
    expect(bad.status).toBe(400);
    expect(bad.json.fields).toHaveProperty("apiKey");
    expectNoSecrets(bad.text, ["not-a-valid-key", ...SECRETS]);
  });

  it("a load error or a log line that echoes a secret is shown masked (API, activity, detail page)", async () => {
    await updatePlugin(ID, { lastError: "init failed: key k-live-1 rejected for bo/tok-bo-2" });
    manager.activity(ID).log("error", "calling the service with tok-cy-5");
    try {
      const one = await api("GET", `/${ID}`);
      expect(one.json.lastError).toBe(`init failed: key ${MASK} rejected for bo/${MASK}`);
      expectNoSecrets((await api("GET", "")).text);
      const activity = await api("GET", `/${ID}/activity`);
      expect(activity.status).toBe(200);
      expect(activity.text).toContain(`calling the service with ${MASK}`);
      expectNoSecrets(activity.text, [...SECRETS, "tok-cy-5"]);
      const record = (await findPlugin(ID))!;
      expectNoSecrets(JSON.stringify([pluginView(record), activityView(record, manager.activity(ID))]), [...SECRETS, "tok-cy-5"]);
    } finally {
      await updatePlugin(ID, { lastError: "" });
    }
  });
});
