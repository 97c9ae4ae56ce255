import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Manifest } from "../plugins/manifest/types";
import { diffPermissions, summarizeCatalogVersion, summarizeManifest, type PermissionSummary } from "./permission-diff";
import { wasmFunctionExports } from "./wasm-exports";

const base: Manifest = { name: "P", author: "A", version: "1.0.0" };
const summary = (m: Partial<Manifest>, exports: string[] = []) => summarizeManifest({ ...base, ...m }, exports);
const none: PermissionSummary = { permissions: [], hosts: [], libraryWrite: false, capabilities: [] };

describe("summarizeManifest", () => {
  it("lists permission keys, hosts of http and websocket (lower-cased, deduplicated), library file access and detected capabilities", () => {
    const s = summary(
      {
        permissions: {
          http: { requiredHosts: ["API.example.com", "*.example.org"] },
          websocket: { requiredHosts: ["api.example.com", "ws.example.net"] },
          library: { filesystem: true },
          kvstore: {},
        },
      },
      ["nd_lyrics_get_lyrics", "nd_scrobbler_scrobble", "unrelated"],
    );
    expect(s).toEqual({
      permissions: ["http", "kvstore", "library", "websocket"],
      hosts: ["*.example.org", "api.example.com", "ws.example.net"],
      libraryWrite: true,
      capabilities: ["Lyrics", "Scrobbler"],
    });
  });

  it("has nothing for a manifest without permissions and a module without capability exports", () => {
    expect(summary({}, ["_start", "memory"])).toEqual(none);
  });

  it("marks unauthenticated HTTP endpoints as a grant of their own", () => {
    expect(summary({ permissions: { endpoints: { auth: "none" } } }).permissions).toEqual(["endpoints", "endpoints.auth=none"]);
    expect(summary({ permissions: { endpoints: { auth: "native" } } }).permissions).toEqual(["endpoints"]);
  });

  it("library without filesystem is no library file access", () => {
    expect(summary({ permissions: { library: {} } }).libraryWrite).toBe(false);
  });
});

describe("diffPermissions", () => {
  it("an identical summary needs no approval", () => {
    const s = summary({ permissions: { http: { requiredHosts: ["a.example"] } } }, ["nd_lyrics_get_lyrics"]);
    expect(diffPermissions(s, s)).toEqual({
      added: [],
      removed: [],
      hostsAdded: [],
      hostsRemoved: [],
      libraryWrite: { before: false, after: false },
      capabilitiesAdded: [],
      capabilitiesRemoved: [],
      requiresApproval: false,
    });
  });

  it("only removals need no approval", () => {
    const before = summary({ permissions: { http: { requiredHosts: ["a.example", "b.example"] }, kvstore: {}, library: { filesystem: true } } }, ["nd_lyrics_get_lyrics"]);
    const after = summary({ permissions: { http: { requiredHosts: ["a.example"] } } });
    const d = diffPermissions(before, after);
    expect(d).toMatchObject({ added: [], removed: ["kvstore", "library"], hostsAdded: [], hostsRemoved: ["b.example"], capabilitiesRemoved: ["Lyrics"] });
    expect(d.libraryWrite).toEqual({ before: true, after: false });
    expect(d.requiresApproval).toBe(false);
  });

  it.each<[string, Partial<Manifest>, string[], Partial<ReturnType<typeof diffPermissions>>]>([
    ["a new permission", { permissions: { http: { requiredHosts: ["a.example"] }, cache: {} } }, [], { added: ["cache"] }],
    ["a new host", { permissions: { http: { requiredHosts: ["a.example", "evil.example"] } } }, [], { hostsAdded: ["evil.example"] }],
    ["a wildcard replacing a host", { permissions: { http: { requiredHosts: ["*"] } } }, [], { hostsAdded: ["*"], hostsRemoved: ["a.example"] }],
    ["a new websocket host", { permissions: { http: { requiredHosts: ["a.example"] }, websocket: { requiredHosts: ["w.example"] } } }, [], { added: ["websocket"], hostsAdded: ["w.example"] }],
    ["library file access", { permissions: { http: { requiredHosts: ["a.example"] }, library: { filesystem: true } } }, [], { added: ["library"], libraryWrite: { before: false, after: true } }],
    ["a new capability", { permissions: { http: { requiredHosts: ["a.example"] } } }, ["nd_get_artist_mbid"], { capabilitiesAdded: ["MetadataAgent"] }],
  ])("%s needs approval", (_what, after, exports, expected) => {
    const before = summary({ permissions: { http: { requiredHosts: ["a.example"] } } });
    const d = diffPermissions(before, summary(after, exports));
    expect(d).toMatchObject(expected);
    expect(d.requiresApproval).toBe(true);
  });

  it("library file access granted while the library permission stays needs approval", () => {
    const d = diffPermissions(summary({ permissions: { library: {} } }), summary({ permissions: { library: { filesystem: true } } }));
    expect(d.added).toEqual([]);
    expect(d.libraryWrite).toEqual({ before: false, after: true });
    expect(d.requiresApproval).toBe(true);
  });

  it("endpoints turning unauthenticated needs approval", () => {
    const d = diffPermissions(summary({ permissions: { endpoints: { auth: "native" } } }), summary({ permissions: { endpoints: { auth: "none" } } }));
    expect(d.added).toEqual(["endpoints.auth=none"]);
    expect(d.requiresApproval).toBe(true);
  });

  it("host case changes are no change", () => {
    const d = diffPermissions(summary({ permissions: { http: { requiredHosts: ["API.Example.com"] } } }), summary({ permissions: { http: { requiredHosts: ["api.example.com"] } } }));
    expect(d.requiresApproval).toBe(false);
    expect(d.hostsAdded).toEqual([]);
  });
});

describe("summarizeCatalogVersion", () => {
  const installed = summary({ permissions: { http: { requiredHosts: ["a.example"] } } }, ["nd_lyrics_get_lyrics"]);
  const v = { version: "2.0.0", url: "p.ndp", sha256: "0".repeat(64), size: 1 };

  it("takes what the catalog declares", () => {
    const s = summarizeCatalogVersion({ ...v, permissions: ["http", "kvstore"], hosts: ["A.example", "b.example"], libraryWrite: true, capabilities: ["Lyrics", "Scrobbler"] }, installed);
    expect(s).toEqual({ permissions: ["http", "kvstore"], hosts: ["a.example", "b.example"], libraryWrite: true, capabilities: ["Lyrics", "Scrobbler"] });
    expect(diffPermissions(installed, s)).toMatchObject({ added: ["kvstore"], hostsAdded: ["b.example"], capabilitiesAdded: ["Scrobbler"], requiresApproval: true });
  });

  it("keeps the installed values for what the catalog leaves out", () => {
    expect(summarizeCatalogVersion(v, installed)).toEqual(installed);
    expect(diffPermissions(installed, summarizeCatalogVersion(v, installed)).requiresApproval).toBe(false);
  });
});

describe("wasmFunctionExports", () => {
  it("lists the function exports of a real plugin module as the engine sees them", () => {
    const wasm = readFileSync(path.resolve(import.meta.dirname, "../../build/plugins/test-lyrics.wasm"));
    const expected = WebAssembly.Module.exports(new WebAssembly.Module(wasm))
      .filter((e) => e.kind === "function")
      .map((e) => e.name);
    expect(wasmFunctionExports(wasm)).toEqual(expected);
    expect(expected).toContain("nd_lyrics_get_lyrics");
  });

  it("refuses bytes that are not wasm and truncated sections", () => {
    expect(() => wasmFunctionExports(new TextEncoder().encode("PK\x03\x04not wasm"))).toThrow("not a wasm module");
    const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    expect(() => wasmFunctionExports(new Uint8Array([...header, 7, 10, 1]))).toThrow("truncated wasm section");
    expect(() => wasmFunctionExports(new Uint8Array([...header, 7, 3, 1, 5, 0x61]))).toThrow("truncated wasm export section");
  });

  it("answers no exports for a module without an export section", () => {
    expect(wasmFunctionExports(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]))).toEqual([]);
  });
});
