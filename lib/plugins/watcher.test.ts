import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findPlugin } from "../db/plugins";
import { waitFor } from "../testing/background-plugins";
import { bootTestServer } from "../testing/boot-test-server";
import { pluginManager } from "./index";
import type { PluginManager } from "./manager";
import { watchPluginsFolder } from "./watcher";

const built = path.join(import.meta.dirname, "../../build/plugins");

describe("debounce (contract §5.9)", () => {
  it("calls back once per file after writes settle, ignoring other files", async () => {
    // The window (800 ms) is long next to the 50 ms between writes, so only a stall of
    // three quarters of a second could split the burst; the "not before the window"
    // check is a lower bound on the callback's own time, which load can only delay.
    const DEBOUNCE_MS = 800;
    const folder = mkdtempSync(path.join(tmpdir(), "tessitura-watch-"));
    const seen: { file: string; at: number }[] = [];
    const stop = watchPluginsFolder(folder, (file) => seen.push({ file, at: Date.now() }), DEBOUNCE_MS);
    try {
      let lastWrite = 0;
      for (let i = 0; i < 5; i++) {
        lastWrite = Date.now();
        writeFileSync(path.join(folder, "a.ndp"), `v${i}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      writeFileSync(path.join(folder, "notes.txt"), "ignored");
      await waitFor(() => seen.length > 0, 10_000);
      // Not before the window after the last write (a timer may fire 1 ms early by Date.now()).
      expect(seen[0].at - lastWrite).toBeGreaterThanOrEqual(DEBOUNCE_MS - 1);
      // Any later callback would need another event, which would be at least a window late.
      await new Promise((r) => setTimeout(r, DEBOUNCE_MS + 200));
      expect(seen.map((s) => s.file)).toEqual(["a.ndp"]);
    } finally {
      stop();
    }
  });
});

describe("auto-reload in the server", () => {
  const folder = mkdtempSync(path.join(tmpdir(), "tessitura-autoreload-"));
  let manager: PluginManager;
  beforeAll(async () => {
    await bootTestServer({ ND_PLUGINS_FOLDER: folder, ND_PLUGINS_AUTORELOAD: "true" });
    manager = pluginManager()!;
  });

  it("adds a new package (disabled), disables a changed one keeping its settings, removes a deleted one", async () => {
    copyFileSync(path.join(built, "test-lyrics.ndp"), path.join(folder, "auto.ndp"));
    await waitFor(async () => (await findPlugin("auto")) !== null, 8000);
    expect((await findPlugin("auto"))!.enabled).toBe(false);
    await manager.saveSettings("auto", { config: '{"no_lang":"true"}' });
    await manager.enable("auto");

    copyFileSync(path.join(built, "test-metadata-agent.ndp"), path.join(folder, "auto.ndp"));
    await waitFor(async () => (await findPlugin("auto"))!.enabled === false, 8000);
    expect((await findPlugin("auto"))!.config).toBe('{"no_lang":"true"}');
    expect(manager.loadedPlugin("auto")).toBeUndefined();

    rmSync(path.join(folder, "auto.ndp"));
    await waitFor(async () => (await findPlugin("auto")) === null, 8000);
  });

  it("lets a call in flight finish on the old version before the new file is read", async () => {
    copyFileSync(path.join(built, "wat-slow.ndp"), path.join(folder, "slowpoke.ndp"));
    await waitFor(async () => (await findPlugin("slowpoke")) !== null, 8000);
    await manager.enable("slowpoke");
    const inFlight = manager.call("slowpoke", "slow", {});
    await new Promise((r) => setTimeout(r, 100));
    copyFileSync(path.join(built, "wat-return-codes.ndp"), path.join(folder, "slowpoke.ndp"));
    await manager.sync(); // what the watcher does once the file settles
    expect(await inFlight).toEqual({ v: 1 });
    expect((await findPlugin("slowpoke"))!.enabled).toBe(false);
  });
});
