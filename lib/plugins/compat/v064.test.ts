import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findPlugin, insertPlugin } from "../../db/plugins";
import { bootWithVariants } from "../../testing/host-plugins";
import { isUsablePluginId } from "../id";
import type { PluginManager } from "../manager";

// Plugin-visible changes on Navidrome master after v0.63.2 (addendum A4) that Tessitura follows.

let manager: PluginManager;
let pluginsFolder = "";

beforeAll(async () => {
  ({ manager, pluginsFolder } = await bootWithVariants(
    [
      // A4.4: `experimental.threads` was removed; the key is ignored and the manifest still loads.
      { base: "test-config", id: "threads-manifest", manifest: (m) => Object.assign(m, { experimental: { threads: {} } }) },
    ],
    { ND_SCANNER_SCANONSTARTUP: "false" },
  ));
});

describe("experimental.threads (A4.4)", () => {
  it("is tolerated: a manifest that still has it is listed and enables", async () => {
    const row = await findPlugin("threads-manifest");
    expect(row!.manifest).not.toContain("experimental");
    expect((await manager.enable("threads-manifest")).enabled).toBe(true);
  });
});

describe("plugin-id validation (A4.2)", () => {
  it.each([".", "..", "", "a/b", "a\\b", "trailing.", "trailing "])("refuses %j", (id) => expect(isUsablePluginId(id)).toBe(false));
  it.each(["lastfm", "my.plugin", "a..b", "...x"])("accepts %j", (id) => expect(isUsablePluginId(id)).toBe(true));

  it("loader refuses a stored row with an unusable id (invalid plugin ID)", async () => {
    const file = path.join(pluginsFolder, "threads-manifest.ndp");
    const stored = await findPlugin("threads-manifest");
    await insertPlugin({ id: "..", path: file, manifest: stored!.manifest, sha256: "x" });
    await expect(manager.enable("..")).rejects.toThrow('invalid plugin ID ".."');
    expect(manager.loadedPlugin("..")).toBeUndefined();
  });
});
