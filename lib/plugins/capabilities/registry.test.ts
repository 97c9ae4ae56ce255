import { describe, expect, it } from "vitest";
import { decodeCallOutput, decodeNoOutput, interpretCallResult } from "../call-result";
import { FunctionNotFoundError, NotImplementedError, PluginCallError } from "../errors";
import { CAPABILITY_EXPORTS, detectCapabilities, validateWithCapabilities, type Capability } from "./registry";

const enc = new TextEncoder();

describe("capability detection (contract §3.0)", () => {
  it("detects a capability from any one of its exports", () => {
    for (const [cap, exports] of Object.entries(CAPABILITY_EXPORTS) as [Capability, string[]][])
      for (const e of exports) expect(detectCapabilities([e, "unrelated"])).toEqual([cap]);
  });

  it("finds every capability a Go PDK plugin exports, and nothing from unrelated names", () => {
    expect(detectCapabilities(["nd_get_artist_url", "nd_scrobbler_scrobble", "nd_on_init", "_initialize", "memory"])).toEqual(["MetadataAgent", "Scrobbler", "Lifecycle"]);
    expect(detectCapabilities(["capabilities", "nd_get_artist", "nd_lyrics"])).toEqual([]);
  });
});

describe("load-time rules 7-9 (contract §1.7)", () => {
  const m = (permissions: object) => ({ name: "n", author: "a", version: "1", permissions });
  it("requires users for any scrobbler export", () => {
    expect(() => validateWithCapabilities(m({}), ["Scrobbler"], ["nd_scrobbler_playback_report"])).toThrow("scrobbler capability requires 'users' permission to be declared in manifest");
    expect(() => validateWithCapabilities(m({ users: {} }), ["Scrobbler"], [])).not.toThrow();
  });
  it("requires the callback exports of scheduler and taskqueue", () => {
    expect(() => validateWithCapabilities(m({ scheduler: {} }), [], [])).toThrow("'scheduler' permission requires plugin to export 'nd_scheduler_callback' function");
    expect(() => validateWithCapabilities(m({ taskqueue: { maxConcurrency: 1 } }), [], [])).toThrow("'taskqueue' permission requires plugin to export 'nd_task_execute' function");
    expect(() => validateWithCapabilities(m({ scheduler: {}, taskqueue: { maxConcurrency: 1 } }), [], ["nd_scheduler_callback", "nd_task_execute"])).not.toThrow();
  });
  it("requires the endpoints permission for nd_http_handle_request (open PR #5045), not the reverse", () => {
    expect(detectCapabilities(["nd_http_handle_request"])).toEqual(["HTTPEndpoint"]);
    expect(() => validateWithCapabilities(m({}), ["HTTPEndpoint"], ["nd_http_handle_request"])).toThrow("HTTP endpoint capability requires 'endpoints' permission to be declared in manifest");
    expect(() => validateWithCapabilities(m({ endpoints: { auth: "none" } }), ["HTTPEndpoint"], ["nd_http_handle_request"])).not.toThrow();
    expect(() => validateWithCapabilities(m({ endpoints: { auth: "none" } }), [], [])).not.toThrow();
  });
  it("requires users for a playlist provider (open PR #5148, addendum A3.2)", () => {
    expect(detectCapabilities(["nd_playlist_provider_get_playlist"])).toEqual(["PlaylistProvider"]);
    expect(() => validateWithCapabilities(m({}), ["PlaylistProvider"], ["nd_playlist_provider_get_playlist"])).toThrow("playlist provider capability requires 'users' permission to be declared in manifest");
    expect(() => validateWithCapabilities(m({ users: {} }), ["PlaylistProvider"], ["nd_playlist_provider_get_playlist"])).not.toThrow();
  });
  it("does not require websocket callbacks (Navidrome enforces none)", () => {
    expect(() => validateWithCapabilities(m({ websocket: { requiredHosts: ["*"] } }), [], [])).not.toThrow();
  });
});

describe("return-code precedence (contract §2.4)", () => {
  const raw = (code: number, error: string | null = null, out = "") => ({ code, error, output: enc.encode(out) });
  it("lets an error_set message win over every code", () => {
    for (const code of [0, -2, -1, 7]) expect(() => interpretCallResult("f", raw(code, "boom"))).toThrow("plugin call failed: boom");
  });
  it("maps -2 to not implemented and other codes to their uint32 value", () => {
    expect(() => interpretCallResult("f", raw(-2))).toThrow(NotImplementedError);
    expect(() => interpretCallResult("f", raw(-2))).toThrow("function not implemented: f");
    expect(() => interpretCallResult("f", raw(-1))).toThrow("plugin call exited with code 4294967295");
    expect(() => interpretCallResult("f", raw(3))).toThrow(PluginCallError);
    expect(interpretCallResult("f", raw(0, null, '{"a":1}'))).toEqual(enc.encode('{"a":1}'));
  });
  it("treats an empty error message as no error, like Extism", () => {
    expect(interpretCallResult("f", raw(0, ""))).toEqual(new Uint8Array());
  });
  it("decodes output: empty is the zero value, invalid JSON fails the call", () => {
    expect(decodeCallOutput(new Uint8Array())).toBeUndefined();
    expect(decodeCallOutput(enc.encode("null"))).toBeNull();
    expect(() => decodeCallOutput(enc.encode("{oops"))).toThrow(/^plugin call failed: /);
  });
  it("accepts only empty, null or an object from exports without output", () => {
    expect(() => decodeNoOutput(enc.encode(""))).not.toThrow();
    expect(() => decodeNoOutput(enc.encode("null"))).not.toThrow();
    expect(() => decodeNoOutput(enc.encode("{}"))).not.toThrow();
    expect(() => decodeNoOutput(enc.encode('"done"'))).toThrow(PluginCallError);
  });
  it("names the missing export in the sentinel", () => {
    expect(new FunctionNotFoundError("nd_x").message).toBe("function not found: nd_x");
  });
});

describe("adapters and detection agree (contract §3.0)", () => {
  it("calls exactly the exports that reveal each capability", async () => {
    const exportsOf = (mod: object) => Object.entries(mod).flatMap(([k, v]) => (k.startsWith("FUNC_") ? [v as string] : [])).sort();
    const adapters: [Capability, object][] = [
      ["MetadataAgent", await import("./metadata-agent")],
      ["Lyrics", await import("./lyrics")],
      ["SonicSimilarity", await import("./sonic-similarity")],
      ["Scrobbler", await import("./scrobbler")],
      ["HTTPEndpoint", await import("./http-endpoint")],
    ];
    for (const [cap, mod] of adapters) expect(exportsOf(mod), cap).toEqual([...CAPABILITY_EXPORTS[cap]].sort());
  });
});
