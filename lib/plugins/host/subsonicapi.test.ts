import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db/client";
import { writeDemoLibrary } from "../../media/demo-library";
import { startScan } from "../../scanner/scanner";
import { dispatchAsUser, handleSubsonic } from "../../subsonic/dispatch";
import { bootWithPlugins, callHost as callHostVia } from "../../testing/background-plugins";
import { installVariant } from "../../testing/host-plugins";
import { serveHandler } from "../../testing/serve-handler";
import { createUser } from "../../users/users";
import { goMarshal } from "../go-json";
import type { PluginManager } from "../manager";
import type { HostServiceContext } from "./registry";
import { createSubsonicApiService, setSubsonicRouter } from "./subsonicapi";

const ID = "test-subsonicapi-plugin";
let manager: PluginManager;
let server: { url: string; close: () => Promise<void> };
let aliceId = "";
let libraryId = 0;
const routed: { path: string; params: Record<string, string[]>; user: string }[] = [];

const callHost = (fn: string, request: object | string) => callHostVia(manager, ID, "nd_test_subsonicapi", fn, request);
/** Calls an export and answers its output bytes as text, exactly as the plugin wrote them. */
async function rawCall(exportName: string, input: string): Promise<{ output: string; error: string | null }> {
  const r = await manager.loadedPlugin(ID)!.module.call(exportName, new TextEncoder().encode(input));
  return { output: new TextDecoder().decode(r.output), error: r.error };
}
/** The same request sent over HTTP to the real Subsonic endpoint, with a password. */
async function overHttp(method: string, params: Record<string, string>, user = { u: "alice", p: "alice-pass" }): Promise<Response> {
  return fetch(`${server.url}/rest/${method}?${new URLSearchParams({ ...user, v: "1.16.1", c: ID, ...params })}`);
}

beforeAll(async () => {
  let dataFolder: string;
  let pluginsFolder: string;
  ({ manager, dataFolder, pluginsFolder } = await bootWithPlugins([ID], { ND_SCANNER_SCANONSTARTUP: "false" }));
  installVariant(pluginsFolder, { base: ID, id: "subsonic-unpermitted", manifest: (m) => delete m.permissions!.subsonicapi });
  await manager.sync();
  writeDemoLibrary(path.join(dataFolder, "music"), { seconds: 1 });
  await startScan();
  libraryId = (await db().library.findFirstOrThrow()).id;
  const alice = await createUser({ userName: "alice", password: "alice-pass" });
  await createUser({ userName: "bob", password: "bob-pass" });
  await db().userLibrary.create({ data: { userId: alice.id, libraryId } });
  aliceId = alice.id;
  // Record what reaches the Subsonic layer, then run it for real.
  setSubsonicRouter(async (p, params, user) => {
    routed.push({ path: p, params: Object.fromEntries([...new Set(params.keys())].map((k) => [k, params.getAll(k)])), user });
    return dispatchAsUser(p, params, user);
  });
  server = await serveHandler(handleSubsonic);
  await manager.saveSettings(ID, { users: [aliceId] });
  await manager.enable(ID);
});

afterAll(async () => {
  await server?.close();
});

describe("subsonicapi_call (contract §4.10)", () => {
  it("answers the same document the Subsonic API serves over HTTP (getAlbumList2, ping)", async () => {
    const viaPlugin = await rawCall("call_subsonic_api", "getAlbumList2?type=alphabeticalByName&size=10&u=alice");
    expect(viaPlugin.error).toBeNull();
    const viaHttp = await (await overHttp("getAlbumList2", { type: "alphabeticalByName", size: "10", f: "json" })).text();
    expect(viaPlugin.output).toBe(viaHttp);
    const doc = JSON.parse(viaPlugin.output)["subsonic-response"];
    expect(doc).toMatchObject({ status: "ok", version: "1.16.1" });
    expect(doc.albumList2.album.length).toBeGreaterThan(0);

    const ping = await rawCall("call_subsonic_api", "/rest/ping.view?u=alice");
    expect(ping.output).toBe(await (await overHttp("ping", { f: "json" })).text());
  });

  it("wraps the body as {responseJson}, Go-escaped", async () => {
    const body = await (await overHttp("getAlbumList2", { type: "alphabeticalByName", f: "json" })).text();
    expect(await callHost("subsonicapi_call", { uri: "getAlbumList2?type=alphabeticalByName&u=alice" })).toBe(goMarshal({ responseJson: body }));
  });

  it("uses only the last path segment and the query; forces c, v and f=json", async () => {
    routed.length = 0;
    const r = await rawCall("call_subsonic_api", "https://elsewhere.example.com/some/prefix/getLicense.view?u=alice&c=spoofed&v=1.0.0&f=xml&extra=1&extra=2");
    expect(JSON.parse(r.output)["subsonic-response"].license).toMatchObject({ valid: true });
    expect(routed).toEqual([{ path: "/getLicense.view", params: { u: ["alice"], c: [ID], v: ["1.16.1"], f: ["json"], extra: ["1", "2"] }, user: "alice" }]);
  });

  it("acts as the named user: another user's libraries stay invisible", async () => {
    const other = await db().library.create({ data: { name: "Hidden", path: "/nonexistent-hidden" } });
    const doc = JSON.parse((await rawCall("call_subsonic_api", "getMusicFolders?u=alice")).output)["subsonic-response"];
    expect(doc.musicFolders.musicFolder.map((f: { id: number }) => f.id)).toEqual([libraryId]);
    await db().library.delete({ where: { id: other.id } });
  });

  it("matches the user name case-insensitively", async () => {
    expect(JSON.parse((await rawCall("call_subsonic_api", "ping?u=ALICE")).output)["subsonic-response"].status).toBe("ok");
  });

  it("refuses a missing u, unknown users and users not assigned to the plugin", async () => {
    expect(await callHost("subsonicapi_call", { uri: "ping" })).toBe('{"error":"missing required parameter \'u\' (username)"}');
    expect(await callHost("subsonicapi_call", { uri: "ping?u=bob" })).toBe('{"error":"user bob is not authorized for this plugin"}');
    expect(await callHost("subsonicapi_call", { uri: "ping?u=nobody" })).toBe('{"error":"username nobody not found"}');
    expect(await rawCall("call_subsonic_api", "ping?u=bob")).toEqual({ output: "", error: "failed to call SubsonicAPI: user bob is not authorized for this plugin" });
  });

  it("with all users, any user may be named; an unknown one gets Subsonic error 40 in the document", async () => {
    await manager.saveSettings(ID, { allUsers: true });
    try {
      expect(JSON.parse((await rawCall("call_subsonic_api", "ping?u=bob")).output)["subsonic-response"].status).toBe("ok");
      const doc = JSON.parse((await rawCall("call_subsonic_api", "ping?u=nobody")).output)["subsonic-response"];
      expect(doc).toMatchObject({ status: "failed", error: { code: 40 } });
    } finally {
      await manager.saveSettings(ID, { allUsers: false, users: [aliceId] });
    }
  });
});

describe("subsonicapi_callraw", () => {
  it("answers content type and base64 bytes (getCoverArt)", async () => {
    const album = await db().album.findFirstOrThrow({ where: { coverArtPath: { not: "" } } });
    const res = await overHttp("getCoverArt", { id: `al-${album.id}` });
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(await callHost("subsonicapi_callraw", { uri: `getCoverArt?id=al-${album.id}&u=alice` })).toBe(goMarshal({ contentType: "image/png", data: bytes }));
    expect(JSON.parse((await rawCall("call_subsonic_api_raw", `getCoverArt?id=al-${album.id}&u=alice`)).output)).toEqual({ contentType: "image/png", size: bytes.length, firstByte: 0x89 });
  });

  it("leaves f alone: XML unless the plugin asks for JSON", async () => {
    const xml = JSON.parse(await callHost("subsonicapi_callraw", { uri: "ping?u=alice" })) as { contentType: string; data: string };
    expect(xml.contentType).toBe("application/xml; charset=utf-8");
    expect(Buffer.from(xml.data, "base64").toString()).toContain('<subsonic-response xmlns="http://subsonic.org/restapi" status="ok"');
    const json = JSON.parse(await callHost("subsonicapi_callraw", { uri: "ping?u=alice&f=json" })) as { contentType: string };
    expect(json.contentType).toMatch(/^application\/json/);
  });

  it("refuses users not assigned", async () => {
    expect(await callHost("subsonicapi_callraw", { uri: "ping?u=bob" })).toBe('{"error":"user bob is not authorized for this plugin"}');
  });
});

describe("a plugin with no users selected", () => {
  it("is refused before any lookup (it cannot be enabled that way, but its service still refuses)", async () => {
    const ctx = { pluginId: "p", record: { allUsers: false, users: [] } } as unknown as HostServiceContext;
    const fn = createSubsonicApiService(ctx).functions.subsonicapi_call;
    const out = await fn(new TextEncoder().encode('{"uri":"ping?u=alice"}'), { plugin: "p", signal: new AbortController().signal });
    expect(new TextDecoder().decode(out)).toBe('{"error":"no users configured for plugin p"}');
  });
});

describe("permission", () => {
  it("a plugin importing subsonicapi functions without the permission fails to load", async () => {
    await manager.saveSettings("subsonic-unpermitted", { allUsers: true });
    await expect(manager.enable("subsonic-unpermitted")).rejects.toThrow(/"subsonicapi_call(raw)?" is not exported in module "extism:host\/user"/);
  });
});
