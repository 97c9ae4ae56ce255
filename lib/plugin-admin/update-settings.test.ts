import { renameSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH_HEADER, tokenFor } from "../auth/session";
import { db } from "../db/client";
import { bootWithVariants } from "../testing/host-plugins";
import { serveHandler } from "../testing/serve-handler";
import * as pluginRoute from "../../app/api/plugin/[id]/route";
import * as rescanRoute from "../../app/api/plugin/rescan/route";

// The native plugin API answers Navidrome's statuses and messages (contract §6.2) in our one
// error body, `{error, fields?}`; failures that are not the plugin's own are logged, not shown.

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

let admin = "";
let pluginsFolder = "";
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  ({ pluginsFolder } = await bootWithVariants([{ base: "test-config" }, { base: "test-scrobbler" }], { ND_SCANNER_SCANONSTARTUP: "false" }));
  admin = await tokenFor(await db().user.findFirstOrThrow({ where: { isAdmin: true } }));
  server = await serveHandler(async (req) => {
    const id = decodeURIComponent(new URL(req.url).pathname.split("/")[3]);
    const handler = id === "rescan" ? rescanRoute.POST : pluginRoute.PUT;
    return (handler as Handler)(req, { params: Promise.resolve({ id }) });
  });
});
afterAll(() => server?.close());

async function send(method: string, path: string, body?: string): Promise<{ status: number; type: string; body: unknown }> {
  const res = await fetch(`${server.url}/api/plugin/${path}`, { method, headers: { "content-type": "application/json", [AUTH_HEADER]: `Bearer ${admin}` }, body });
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.json() };
}
const put = (id: string, body: unknown) => send("PUT", id, typeof body === "string" ? body : JSON.stringify(body));

describe("PUT /api/plugin/:id refusals", () => {
  it("answers Navidrome's statuses with its messages as {error}", async () => {
    expect(await put("nope", {})).toEqual({ status: 404, type: expect.stringContaining("application/json"), body: { error: "Plugin not found" } });
    expect(await put("test-config", "[1]")).toMatchObject({ status: 400, body: { error: "Invalid request body" } });
    expect(await put("test-scrobbler", { users: "not json" })).toMatchObject({ status: 400, body: { error: "Invalid JSON in users field" } });
    expect(await put("test-config", { libraries: "[1.5]" })).toMatchObject({ status: 400, body: { error: "Invalid JSON in libraries field" } });
    expect(await put("test-config", { config: "{" })).toMatchObject({ status: 400, body: { error: "Invalid JSON in config field" } });
  });

  it("answers a config that fails the schema with the validator's message and per-field messages", async () => {
    const r = await put("test-config", { config: JSON.stringify({ greeting: "x" }) });
    expect(r.status).toBe(400);
    const body = r.body as { error: string; fields: Record<string, string> };
    expect(Object.keys(body).sort()).toEqual(["error", "fields"]);
    expect(body.error).toContain("apiKey");
    expect(Object.keys(body.fields).length).toBeGreaterThan(0);
  });

  it("answers a refused enable with 422 and the gate's message", async () => {
    expect(await put("test-scrobbler", { enabled: true })).toEqual({
      status: 422,
      type: expect.stringContaining("application/json"),
      body: { error: "users permission requires configuration: select users or enable 'all users' access" },
    });
  });

  it("answers an internal failure with a generic 500, never its message", async () => {
    // A real storage failure below the admin logic: the database refuses every plugin update.
    await db().$executeRawUnsafe("CREATE TRIGGER refuse_plugin_update BEFORE UPDATE ON Plugin BEGIN SELECT RAISE(ABORT, 'internal detail /srv/secret/path'); END");
    try {
      const r = await put("test-scrobbler", { allUsers: true });
      expect(r).toEqual({ status: 500, type: expect.stringContaining("application/json"), body: { error: "internal server error" } });
    } finally {
      await db().$executeRawUnsafe("DROP TRIGGER refuse_plugin_update");
    }
    expect(await put("test-scrobbler", { allUsers: true })).toMatchObject({ status: 200, body: { id: "test-scrobbler", allUsers: true } });
  });
});

describe("POST /api/plugin/rescan", () => {
  it("answers a missing plugins folder with Navidrome's message as {error}", async () => {
    renameSync(pluginsFolder, `${pluginsFolder}.away`);
    try {
      const r = await send("POST", "rescan");
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ error: `Error rescanning plugins: plugins folder ${pluginsFolder} does not exist` });
    } finally {
      renameSync(`${pluginsFolder}.away`, pluginsFolder);
    }
    const ok = await fetch(`${server.url}/api/plugin/rescan`, { method: "POST", headers: { [AUTH_HEADER]: `Bearer ${admin}` } });
    expect(ok.status).toBe(200);
  });
});
