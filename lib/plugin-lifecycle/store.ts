import "server-only";
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { findPlugin, type PluginRecord } from "../db/plugins";
import {
  deletePluginPackage,
  findPluginPackage,
  listPluginPackages,
  upsertPluginPackage,
  type PackageSource,
} from "../db/plugin-history";
import { log } from "../log";
import type { HistoryEntry } from "../plugin-catalog/types";
import type { PluginManager } from "../plugins";
import { parseStoredManifest } from "../plugins/manifest/stored";
import { settings } from "../server/settings";

/**
 * The package history store: `<DataFolder>/plugin-packages/<id>/<sha256>.ndp` for each kept
 * package (0600 in a 0700 folder, like every data file), `pending.ndp` for an update that
 * waits for approval; downloads in flight go to `<DataFolder>/plugin-downloads/`. Rows in `PluginPackage` say
 * which packages are kept; the current one plus `Plugins.KeepPackages` past ones.
 */
export function packagesRoot(manager: PluginManager): string {
  return path.join(manager.opts.dataFolder, "plugin-packages");
}

export function pluginPackagesFolder(manager: PluginManager, id: string): string {
  const folder = path.join(packagesRoot(manager), id);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  return folder;
}

export function keptPackagePath(manager: PluginManager, id: string, sha256: string): string {
  return path.join(pluginPackagesFolder(manager, id), `${sha256}.ndp`);
}

export function pendingPackagePath(manager: PluginManager, id: string): string {
  return path.join(pluginPackagesFolder(manager, id), "pending.ndp");
}

/**
 * A fresh temporary file name for a download, on the data folder's file system. Outside
 * `plugin-packages/`, whose sub-folders are plugin ids (`.tmp` is a usable one).
 */
export function tempPackagePath(manager: PluginManager, id: string): string {
  const folder = path.join(manager.opts.dataFolder, "plugin-downloads");
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  return path.join(folder, `${id}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.ndp`);
}

/** Copies a file to `dest` through a temporary name, so `dest` is never half-written. */
export function copyAtomically(src: string, dest: string): void {
  // turbopackIgnore: a run-time path, not a file of the app for the Next.js build to trace.
  const tmp = `${path.join(/*turbopackIgnore: true*/ path.dirname(dest), `.${path.basename(dest)}`)}.copy-${process.pid}`;
  copyFileSync(src, tmp);
  renameSync(tmp, dest);
}

/**
 * Keeps a package that was just installed as the plugin's current one (`file` holds it,
 * `sha256` is its hash), then prunes the history.
 */
export async function recordPackage(manager: PluginManager, id: string, file: string, meta: { version: string; sha256: string; source: PackageSource }): Promise<void> {
  const kept = keptPackagePath(manager, id, meta.sha256);
  if (!existsSync(kept)) copyAtomically(file, kept);
  await upsertPluginPackage({ pluginId: id, ...meta });
  await prunePackages(manager, id, meta.sha256);
}

/**
 * Before a package is replaced: keeps the installed one (put in the folder by hand, or
 * installed before history existed) so it can be rolled back to. Already kept: no change.
 */
export async function keepCurrentPackage(manager: PluginManager, id: string): Promise<void> {
  const record = await findPlugin(id);
  if (!record?.sha256 || !existsSync(record.path)) return;
  if ((await findPluginPackage(id, record.sha256)) && existsSync(keptPackagePath(manager, id, record.sha256))) return;
  const kept = keptPackagePath(manager, id, record.sha256);
  copyAtomically(record.path, kept);
  await upsertPluginPackage({ pluginId: id, version: versionOf(record), sha256: record.sha256, source: "folder", installedAt: record.updatedAt });
}

/** Drops kept packages beyond the current one and the `Plugins.KeepPackages` most recent others. */
export async function prunePackages(manager: PluginManager, id: string, currentSha256: string): Promise<void> {
  const keep = settings().Plugins.KeepPackages;
  const past = (await listPluginPackages(id)).filter((p) => p.sha256 !== currentSha256);
  for (const old of past.slice(keep)) {
    await deletePluginPackage(id, old.sha256);
    rmSync(keptPackagePath(manager, id, old.sha256), { force: true });
    log.info({ plugin: id, version: old.version, sha256: old.sha256 }, "Pruned a kept plugin package");
  }
}

/** A plugin's version history, most recent first; the installed package is marked current. */
export async function pluginHistory(id: string): Promise<HistoryEntry[]> {
  const record = await findPlugin(id);
  const entries: HistoryEntry[] = (await listPluginPackages(id)).map((p) => ({
    version: p.version,
    sha256: p.sha256,
    installedAt: p.installedAt.toISOString(),
    source: p.source,
    current: p.sha256 === record?.sha256,
  }));
  // A package copied into the folder by hand is not kept until something replaces it; it is still the current one.
  if (record?.sha256 && !entries.some((e) => e.current))
    entries.unshift({ version: versionOf(record), sha256: record.sha256, installedAt: record.updatedAt.toISOString(), source: "folder", current: true });
  return entries;
}

function versionOf(record: PluginRecord): string {
  try {
    return parseStoredManifest(record.manifest).version;
  } catch {
    return "";
  }
}
