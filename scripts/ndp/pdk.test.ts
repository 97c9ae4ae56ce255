import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAPABILITY_EXPORTS } from "@/lib/plugins/capabilities/registry";
import { decodeResponseFrame, encodeRequestFrame } from "@/lib/plugins/capabilities/http-endpoint";
import { Engine } from "@/lib/plugins/engine";
import type { RunCommand } from "./args";
import { compilePlugin } from "./asc.mjs";
import { writePackage } from "./build";
import { HOST_FUNCTIONS } from "./host-functions";
import { runPlugin } from "./run";

// The AssemblyScript PDK (plugins/pdk/assemblyscript): its whole surface compiles and covers
// every host function and capability export; its JSON, UTF-8 and calling convention behave
// as the contract says when run by the real engine.
const pdk = path.resolve(import.meta.dirname, "../../plugins/pdk/assemblyscript");
const work = mkdtempSync(path.join(tmpdir(), "ndp-pdk-"));
let engine: Engine;
let probe: string;

function command(exportName: string, input: unknown, extra: Partial<RunCommand> = {}): RunCommand {
  return {
    name: "run",
    file: probe,
    exportName,
    input: typeof input === "string" ? input : JSON.stringify(input),
    config: [],
    libraries: [],
    users: [],
    init: false,
    waitMs: 0,
    timeoutMs: 10_000,
    logLevel: "trace",
    ...extra,
  };
}
const call = async (exportName: string, input: unknown, extra: Partial<RunCommand> = {}) => (await runPlugin(command(exportName, input, extra), engine, { cwd: work })).call;

beforeAll(async () => {
  engine = new Engine({ workers: 2 });
  const wasm = await compilePlugin(path.join(pdk, "test/probe"), path.join(work, "probe.wasm"));
  probe = path.join(work, "pdk-probe.ndp");
  writePackage(probe, new TextEncoder().encode(JSON.stringify({ name: "probe", author: "tests", version: "1", permissions: { cache: {}, users: {} } })), wasm);
}, 60_000);

afterAll(() => engine?.close());

describe("the PDK surface", () => {
  it("wraps every host function of every service and exports every capability function", async () => {
    const wasm = await compilePlugin(path.join(pdk, "test/api-surface"), path.join(work, "surface.wasm"));
    const module = new WebAssembly.Module(new Uint8Array(wasm));
    const imported = WebAssembly.Module.imports(module)
      .filter((i) => i.module === "extism:host/user")
      .map((i) => i.name)
      .sort();
    expect(imported).toEqual(Object.values(HOST_FUNCTIONS).flat().sort());
    const exported = WebAssembly.Module.exports(module).map((e) => e.name);
    for (const name of Object.values(CAPABILITY_EXPORTS).flat()) expect(exported).toContain(name);
  }, 60_000);

  it("imports only what a plugin uses", () => {
    const module = new WebAssembly.Module(new Uint8Array(readFileSync(path.join(work, "probe.wasm"))));
    const host = WebAssembly.Module.imports(module).filter((i) => i.module === "extism:host/user").map((i) => i.name);
    expect(host.sort()).toEqual(["cache_getfloat", "cache_getint", "cache_getstring", "cache_setint", "cache_setstring", "config_get", "config_keys"]);
  });
});

describe("JSON and bytes", () => {
  it("decodes input as Go does (exact int64, any key case, base64 bytes) and encodes UTF-8 output", async () => {
    const input = { text: 'Björk "q" \\ \n ✓ 😀', big: 9007199254740993, float: 1.5e3, bytes: "aMOpbGxv", nested: { list: [{ name: "a" }, { name: "b" }] }, flag: true };
    const text = JSON.stringify(input).replace("9007199254740992", "9007199254740993"); // JSON.stringify rounds it
    const r = await call("probe_json", text);
    expect(r.outcome).toBe("ok");
    const out = JSON.parse(r.outputText.replace(/"roundTrip":.*,"b64"/, '"roundTrip":null,"b64"'));
    expect(out).toEqual({ text: input.text, big: "9007199254740993", float: 1500, bytesText: "héllo", bytesBack: "aMOpbGxv", nested: "b", flag: true, roundTrip: null, b64: "aMOpbGxv", unb64: "héllo" });
    expect(r.outputText).toContain('"big":9007199254740993');
    expect(JSON.parse(r.outputText).roundTrip.text).toBe(input.text);
  });
});

describe("the calling convention (contract §2.3–§2.5)", () => {
  it("writes a capability's answer as JSON, and null for 'no data'", async () => {
    expect((await call("nd_get_artist_biography", { id: "1", name: "Sigur Rós" })).outputText).toBe('{"biography":"Bio of Sigur Rós ✓ \\"quoted\\"\\n<b>"}');
    expect(await call("nd_get_artist_biography", { id: "2", name: "nobody" })).toMatchObject({ outcome: "ok", code: 0, outputText: "null" });
  });

  it("answers -2 for what the plugin does not implement, -1 with the error for fail()", async () => {
    expect(await call("nd_get_artist_mbid", { id: "1", name: "x" })).toMatchObject({ outcome: "not-implemented", code: -2, outputText: "" });
    expect(await call("nd_scrobbler_playback_report", {})).toMatchObject({ outcome: "not-implemented", code: -2 });
    expect(await call("nd_get_artist_url", { id: "1", name: "x" })).toMatchObject({ outcome: "failed", code: -1, error: "no URL for x", hostError: "plugin call failed: no URL for x" });
    expect(await call("nd_scrobbler_scrobble", { username: "a", track: { title: "Jóga" }, timestamp: 5 })).toMatchObject({
      code: -1,
      hostError: "plugin call failed: scrobbler(retry_later): Jóga at 5",
    });
  });

  it("writes booleans and empty outputs as the scrobbler contract wants, and refuses malformed input", async () => {
    expect((await call("nd_scrobbler_is_authorized", { username: "alice" })).outputText).toBe("true");
    expect((await call("nd_scrobbler_is_authorized", { username: "bob" })).outputText).toBe("false");
    expect(await call("nd_scrobbler_now_playing", { username: "a", track: {}, position: 1 })).toMatchObject({ outcome: "ok", outputText: "" });
    expect(await call("nd_get_artist_biography", "[1,2]")).toMatchObject({ code: -1, error: "failed to parse input JSON: [1,2]" });
  });
});

describe("host service wrappers", () => {
  it("send the requests and decode the answers of the Cache and Config services", async () => {
    const r = await call("probe_host", {}, { config: ["greeting=hi"] });
    expect(JSON.parse(r.outputText)).toEqual({ s: "välue", sExists: true, n: "9007199254740993", floatExists: false, greeting: "hi", keys: ["greeting"] });
  });
});

describe("HttpEndpoint (PR #5045 frames)", () => {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  let handle: (req: Parameters<typeof encodeRequestFrame>[0]) => Promise<{ code: number; output: Uint8Array }>;

  beforeAll(async () => {
    const wasm = await compilePlugin(path.join(pdk, "test/endpoint"), path.join(work, "endpoint.wasm"));
    const module = await engine.load(wasm, { name: "endpoint", hostFunctions: {}, config: {}, allowedHosts: [], logLevel: "info", timeoutMs: 10_000, memoryLimitBytes: 0 });
    handle = async (req) => {
      const r = await module.call("nd_http_handle_request", encodeRequestFrame(req), { timeoutMs: 10_000 });
      return { code: r.code, output: r.output };
    };
  }, 60_000);

  const request = (extra: Partial<Parameters<typeof encodeRequestFrame>[0]> = {}) => ({ method: "GET", path: "/", query: "", headers: {}, body: new Uint8Array(0), ...extra });

  it("decodes the request frame (query, headers, UTF-8 body, user) and frames a JSON answer", async () => {
    const r = await handle(
      request({
        method: "POST",
        path: "/echo",
        query: "a=1&q=caf%C3%A9+au+lait&q=2",
        headers: { Accept: ["text/html", "*/*"] },
        body: enc.encode("Sigur Rós ✓"),
        user: { id: "u-1", username: "alice", name: "Alice", isAdmin: true },
      }),
    );
    expect(r.code).toBe(0);
    const res = decodeResponseFrame(r.output);
    expect(res).toMatchObject({ status: 0, headers: { "Content-Type": ["application/json"] } });
    expect(JSON.parse(dec.decode(res.body))).toEqual({ method: "POST", path: "/echo", q: "café au lait", missing: "", accept: "text/html", body: "Sigur Rós ✓", user: "alice/u-1/admin" });
  });

  it("answers raw bytes with status and repeated headers, and no user for unauthenticated calls", async () => {
    const bytes = new Uint8Array([0, 1, 255, 0x80, 10]);
    const res = decodeResponseFrame((await handle(request({ path: "/bytes", body: bytes }))).output);
    expect(res.status).toBe(202);
    expect(res.headers).toEqual({ "Content-Type": ["application/octet-stream"], "X-Two": ["a", "b"] });
    expect([...res.body]).toEqual([...bytes]);
    expect(JSON.parse(dec.decode(decodeResponseFrame((await handle(request())).output).body)).user).toBe("");
  });

  it("turns fail() into an error frame (return code 0), as the host expects", async () => {
    const r = await handle(request({ method: "DELETE", path: "/fail" }));
    expect(r.code).toBe(0);
    expect(() => decodeResponseFrame(r.output)).toThrow("plugin error: nope: DELETE");
  });
});
