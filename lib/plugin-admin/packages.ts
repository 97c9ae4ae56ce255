import "server-only";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { findPlugin } from "../db/plugins";
import { AppError } from "../errors";
import type { PluginManager } from "../plugins";
import { PluginError } from "../plugins/errors";
import { isUsablePluginId, pluginIdFromFileName } from "../plugins/id";
import { openPackage } from "../plugins/package";
import { keepCurrentPackage, recordPackage } from "../plugin-lifecycle/store";

export interface UploadResult {
  id: string;
  replaced: boolean;
}

/**
 * Installs an uploaded package: the whole package is validated (archive, manifest) before
 * anything touches the plugins folder; an existing plugin is only replaced when asked,
 * and a replaced plugin is disabled with its settings kept, like any changed file.
 */
export async function installUploadedPackage(manager: PluginManager, fileName: string, bytes: Buffer, replace: boolean): Promise<UploadResult> {
  const base = path.basename(fileName);
  const id = pluginIdFromFileName(base);
  if (!id) throw new AppError("INVALID_INPUT", "the file name must end in .ndp");
  if (!isUsablePluginId(id)) throw new AppError("INVALID_INPUT", `"${id}" cannot be used as a plugin id`);
  let opened;
  try {
    opened = await openPackage(bytes);
  } catch (err) {
    throw new AppError("INVALID_INPUT", (err as Error).message);
  }
  const target = path.join(manager.opts.folder, base);
  const exists = existsSync(target) || (await findPlugin(id)) !== null;
  if (exists && !replace) throw new AppError("CONFLICT", `a plugin with id "${id}" is already installed; confirm to replace it`);
  // Written beside the target under a name the scanner ignores, then renamed: the folder
  // never holds a half-written package.
  const tmp = path.join(manager.opts.folder, `.${base}.upload-${process.pid}`);
  // Package history (issue #15): the replaced package stays available for rollback, the new one is kept.
  if (exists) await keepCurrentPackage(manager, id);
  writeFileSync(tmp, bytes);
  renameSync(tmp, target);
  await manager.sync();
  await recordPackage(manager, id, target, { version: opened.manifest.version, sha256: createHash("sha256").update(bytes).digest("hex"), source: "upload" });
  return { id, replaced: exists };
}

/** Deletes a plugin's package file; the folder sync unloads the plugin and removes its row. */
export async function deletePluginPackage(manager: PluginManager, id: string): Promise<void> {
  const record = await findPlugin(id);
  if (!record) throw new AppError("NOT_FOUND", "Plugin not found");
  if (existsSync(record.path)) unlinkSync(record.path);
  await manager.sync();
}

/** The installed package of a plugin, for download. */
export async function readPluginPackage(id: string): Promise<{ fileName: string; bytes: Buffer }> {
  const record = await findPlugin(id);
  if (!record || !existsSync(record.path)) throw new AppError("NOT_FOUND", "Plugin not found");
  return { fileName: path.basename(record.path), bytes: readFileSync(record.path) };
}

/**
 * `POST /api/plugin/rescan` (contract §6.1): a synchronous folder sync. A sync the host
 * refuses (no plugins folder) answers Navidrome's `Error rescanning plugins: …`; any other
 * failure is internal and left to the edge, which logs it.
 */
export async function rescanPlugins(manager: PluginManager): Promise<void> {
  try {
    await manager.sync();
  } catch (err) {
    if (err instanceof PluginError) throw new AppError("INTERNAL", `Error rescanning plugins: ${err.message}`, { cause: err });
    throw err;
  }
}
