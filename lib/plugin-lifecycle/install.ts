import "server-only";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { findPlugin } from "../db/plugins";
import { AppError } from "../errors";
import { findCatalogVersion } from "../plugin-catalog/browse";
import type { HistoryEntry, ResolvedVersion } from "../plugin-catalog/types";
import type { PluginManager } from "../plugins";
import { isUsablePluginId } from "../plugins/id";
import { assertCompatible, assertSignatureAccepted, downloadVerifiedPackage } from "./catalog-package";
import { serialized } from "./lock";
import { placePackage } from "./place";
import { pluginHistory, recordPackage } from "./store";

export interface InstallRequest {
  pluginId: string;
  version?: string;
  /** Only install from this repository (when several catalogs list the plugin). */
  repositoryId?: number;
}

/** The catalog version a request names, or NOT_FOUND in the admin's words. */
export async function resolveCatalogVersion(pluginId: string, version?: string, repositoryId?: number): Promise<ResolvedVersion> {
  const resolved = await findCatalogVersion(pluginId, version);
  const what = version ? `${pluginId} ${version}` : `a compatible version of ${pluginId}`;
  if (!resolved) throw new AppError("NOT_FOUND", `${what} is not in any plugin catalog`);
  if (repositoryId !== undefined && resolved.repository.id !== repositoryId) throw new AppError("NOT_FOUND", `${what} is not in repository ${repositoryId}`);
  return resolved;
}

/**
 * Installs a plugin from a catalog (issue #15 point 2): signature policy, download to the
 * data folder, size and sha256 check, upload validation, then an atomic rename into the
 * plugins folder; the plugin lands disabled like any new one, and the package is kept.
 */
/** What an install answers: the installed package as its history lists it. */
export type InstallResult = HistoryEntry & { pluginId: string };

export async function installFromCatalog(manager: PluginManager, req: InstallRequest): Promise<InstallResult> {
  if (!isUsablePluginId(req.pluginId)) throw new AppError("INVALID_INPUT", `"${req.pluginId}" cannot be used as a plugin id`);
  return serialized(req.pluginId, async () => {
    const resolved = await resolveCatalogVersion(req.pluginId, req.version, req.repositoryId);
    const id = resolved.plugin.id;
    if ((await findPlugin(id)) || existsSync(path.join(manager.opts.folder, `${id}.ndp`)))
      throw new AppError("CONFLICT", `a plugin with id "${id}" is already installed; update it instead`);
    assertCompatible(resolved);
    assertSignatureAccepted(resolved);
    const pkg = await downloadVerifiedPackage(manager, resolved);
    try {
      await placePackage(manager, id, pkg.file, { reEnable: false });
      await recordPackage(manager, id, pkg.file, { version: pkg.manifest.version, sha256: pkg.sha256, source: "catalog" });
    } finally {
      rmSync(pkg.file, { force: true });
    }
    return { pluginId: id, ...(await pluginHistory(id)).find((e) => e.current)! };
  });
}
