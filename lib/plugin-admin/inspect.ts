import "server-only";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PluginRecord } from "../db/plugins";
// Host internals the public index does not export: a transient load runs the loader itself.
import { PluginActivity } from "../plugins/activity";
import type { Capability } from "../plugins/capabilities/registry";
import type { Engine } from "../plugins/engine";
import { isUsablePluginId, pluginIdFromFileName } from "../plugins/id";
import { loadPlugin } from "../plugins/loader";
import type { Manifest } from "../plugins/manifest/types";
import { serializeManifest } from "../plugins/manifest/serialize";
import { openPackage } from "../plugins/package";
import { summarizePermissions, type PermissionSummary } from "./permissions";

/** What an admin would learn about a package before installing it. */
export interface PackageInspection {
  file: string;
  /** The id the server would give it (its file name), or null when the name does not end in `.ndp`. */
  id: string | null;
  /** Null when the package or its manifest cannot be read. */
  manifest: Pick<Manifest, "name" | "version" | "author" | "description" | "website"> | null;
  permissions: PermissionSummary[];
  /** Whether the manifest declares a config schema (the plugin accepts config saves). */
  configurable: boolean;
  /** Null when the module did not load. */
  capabilities: Capability[] | null;
  /** Messages worded as the server stores them in `lastError`; empty when the package would load. */
  errors: string[];
  /** Things the admin must do before enabling it (the enable gates, contract §1.7 rules 11–12). */
  notes: string[];
}

export interface InspectOptions {
  engine: Engine;
  logLevel: string;
  timeoutMs: number;
  memoryLimitBytes: number;
}

function gateNotes(manifest: Manifest): string[] {
  const notes: string[] = [];
  if (manifest.permissions?.users) notes.push("select users (or 'all users') before enabling");
  if (manifest.permissions?.library) notes.push("select libraries (or 'all libraries') before enabling");
  return notes;
}

/**
 * Runs the checks a package meets on its way to being enabled, without a database: the
 * file name as an id, the archive and manifest (contract §1.7 rules 1–6), then a full
 * load with the host services its permissions grant (compile, imports, capability rules
 * 7–10). `nd_on_init` is not called. Host services get a throw-away data folder.
 */
export async function inspectPackage(file: string, opts: InspectOptions): Promise<PackageInspection> {
  const id = pluginIdFromFileName(file);
  const result: PackageInspection = { file, id, manifest: null, permissions: [], configurable: false, capabilities: null, errors: [], notes: [] };
  if (id === null) result.errors.push("the file name must end in .ndp (other files in the plugins folder are ignored)");
  else if (!isUsablePluginId(id)) result.errors.push(`"${id}" cannot be used as a plugin id (the server skips this file)`);

  let manifest: Manifest;
  try {
    manifest = (await openPackage(file)).manifest;
  } catch (err) {
    result.errors.push((err as Error).message);
    return result;
  }
  const { name, version, author, description, website } = manifest;
  result.manifest = { name, version, author, ...(description ? { description } : {}), ...(website ? { website } : {}) };
  result.permissions = summarizePermissions(manifest);
  result.configurable = Boolean(manifest.config?.schema);
  result.notes = gateNotes(manifest);

  const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-inspect-"));
  try {
    const plugin = await loadPlugin(transientRecord(id ?? path.basename(file), file, manifest), {
      engine: opts.engine,
      dataFolder,
      logLevel: opts.logLevel,
      timeoutMs: opts.timeoutMs,
      memoryLimitBytes: opts.memoryLimitBytes,
      activity: new PluginActivity(),
    });
    result.capabilities = plugin.capabilities;
    await plugin.close();
  } catch (err) {
    result.errors.push((err as Error).message);
  } finally {
    rmSync(dataFolder, { recursive: true, force: true });
  }
  return result;
}

/** A row that was never saved: no config, no users or libraries selected. */
function transientRecord(id: string, file: string, manifest: Manifest): PluginRecord {
  const now = new Date();
  return {
    id,
    path: file,
    manifest: serializeManifest(manifest),
    config: "",
    users: [],
    allUsers: false,
    libraries: [],
    allLibraries: false,
    allowWriteAccess: false,
    enabled: false,
    lastError: "",
    sha256: "",
    createdAt: now,
    updatedAt: now,
  };
}
