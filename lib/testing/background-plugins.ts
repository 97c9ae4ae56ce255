import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pluginManager, type PluginManager } from "../plugins";
import { bootTestServer } from "./boot-test-server";

const built = path.join(import.meta.dirname, "../../build/plugins");

/** Boots a test server whose plugins folder holds the named built packages (all disabled). */
export async function bootWithPlugins(names: string[], env: Record<string, string> = {}) {
  const pluginsFolder = mkdtempSync(path.join(tmpdir(), "tessitura-plugins-"));
  for (const n of names) copyFileSync(path.join(built, `${n}.ndp`), path.join(pluginsFolder, `${n}.ndp`));
  const server = await bootTestServer({ ND_PLUGINS_FOLDER: pluginsFolder, ND_PLUGINS_LOGLEVEL: "info", ...env });
  return { manager: pluginManager()!, pluginsFolder, dataFolder: server.dataFolder };
}

/** Polls until `fn` returns a truthy value, or fails after `timeoutMs`. */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 15_000, what = "condition"): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The plugin's info log lines that start with `prefix`, prefix removed, oldest first. */
export function pluginLines(manager: PluginManager, id: string, prefix: string): string[] {
  return manager
    .activity(id)
    .recentLines()
    .filter((l) => l.level === "info" && l.message.startsWith(prefix))
    .map((l) => l.message.slice(prefix.length));
}

/**
 * Has a test plugin call one host function by name (its `nd_test_*` export forwards
 * `request` verbatim) and returns the host's response text exactly as the plugin saw it.
 */
export async function callHost(manager: PluginManager, id: string, exportName: string, fn: string, request: object | string): Promise<string> {
  const text = typeof request === "string" ? request : JSON.stringify(request);
  return (await manager.call<string>(id, exportName, { fn, request: text }))!;
}
