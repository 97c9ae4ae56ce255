import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import AdmZip from "adm-zip";
import { pluginManager, type PluginManager } from "../plugins";
import type { Manifest } from "../plugins/manifest/types";
import { bootTestServer } from "./boot-test-server";

const built = path.join(import.meta.dirname, "../../build/plugins");

/** One package to install: a built test plugin, optionally under another ID with its manifest changed. */
export interface PluginVariant {
  /** Built package name (`build/plugins/<base>.ndp`). */
  base: string;
  /** File name (= plugin ID) in the plugins folder; defaults to `base`. */
  id?: string;
  /** Edits the manifest before the package is written. */
  manifest?: (m: Manifest) => void;
}

/** Writes a built test package into `folder`, with its manifest edited when asked. */
export function installVariant(folder: string, v: PluginVariant): string {
  const id = v.id ?? v.base;
  const bytes = readFileSync(path.join(built, `${v.base}.ndp`));
  if (!v.manifest) {
    writeFileSync(path.join(folder, `${id}.ndp`), bytes);
    return id;
  }
  const zip = new AdmZip(bytes);
  const manifest = JSON.parse(zip.readAsText("manifest.json")) as Manifest;
  v.manifest(manifest);
  zip.updateFile("manifest.json", Buffer.from(JSON.stringify(manifest)));
  writeFileSync(path.join(folder, `${id}.ndp`), zip.toBuffer());
  return id;
}

/** Boots a test server whose plugins folder holds the given packages (all disabled). */
export async function bootWithVariants(variants: PluginVariant[], env: Record<string, string> = {}) {
  const pluginsFolder = mkdtempSync(path.join(tmpdir(), "tessitura-plugins-"));
  for (const v of variants) installVariant(pluginsFolder, v);
  const server = await bootTestServer({ ND_PLUGINS_FOLDER: pluginsFolder, ND_PLUGINS_LOGLEVEL: "info", ...env });
  return { manager: pluginManager()!, pluginsFolder, dataFolder: server.dataFolder };
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Has a forwarding test plugin (`nd_test_<service>`, input `<fn>\n<request>`) call one
 * host function and returns the host's response exactly as the plugin received it.
 */
export async function forward(manager: PluginManager, id: string, fn: string, request: object | string = {}, timeoutMs = 30_000): Promise<string> {
  const plugin = manager.loadedPlugin(id);
  if (!plugin) throw new Error(`plugin ${id} is not loaded`);
  const exportName = plugin.module.exports.find((e) => e.startsWith("nd_test_"));
  if (!exportName) throw new Error(`plugin ${id} has no nd_test_* export`);
  const text = typeof request === "string" ? request : JSON.stringify(request);
  const r = await plugin.module.call(exportName, enc.encode(`${fn}\n${text}`), { timeoutMs });
  if (r.code !== 0 || r.error !== null) throw new Error(`${exportName} failed (code ${r.code}): ${r.error}`);
  return dec.decode(r.output);
}
