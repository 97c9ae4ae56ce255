import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bootWithVariants, forward } from "../../testing/host-plugins";
import type { PluginManager } from "../manager";
import { pluginStoragePath } from "./storage";

let manager: PluginManager;
let dataFolder: string;

beforeAll(async () => {
  ({ manager, dataFolder } = await bootWithVariants([
    { base: "test-storage" },
    { base: "test-storage", id: "storage-no-permission", manifest: (m) => void delete m.permissions!.storage },
    { base: "test-storage", id: "storage-blocked" },
  ]));
});

describe("storage_getstoragepath (contract §4.13)", () => {
  it("answers /storage, even for an undecodable request, and creates the plugin's folder with mode 0700", async () => {
    await manager.enable("test-storage");
    expect(await forward(manager, "test-storage", "storage_getstoragepath", {})).toBe('{"result":"/storage"}');
    expect(await forward(manager, "test-storage", "storage_getstoragepath", "not json")).toBe('{"result":"/storage"}');
    const dir = pluginStoragePath(dataFolder, "test-storage");
    expect(dir).toBe(path.join(dataFolder, "plugins", "test-storage", "storage"));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("keeps the folder when the plugin is disabled", async () => {
    await manager.disable("test-storage");
    expect(existsSync(pluginStoragePath(dataFolder, "test-storage"))).toBe(true);
  });

  it("fails the load when the folder cannot be created", async () => {
    // A file where the plugin's data folder should be (permissions would not stop root).
    mkdirSync(path.join(dataFolder, "plugins"), { recursive: true });
    writeFileSync(path.join(dataFolder, "plugins", "storage-blocked"), "");
    await expect(manager.enable("storage-blocked")).rejects.toThrow(/^creating Storage service: creating plugin data directory: ENOTDIR/);
  });

  it("is not granted without the storage permission: the plugin fails to load", async () => {
    await expect(manager.enable("storage-no-permission")).rejects.toThrow(/"storage_getstoragepath" is not exported in module "extism:host\/user"/);
  });
});
