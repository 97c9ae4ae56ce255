import "server-only";
import { existsSync, rmSync } from "node:fs";
import { deletePendingUpdate, findPendingUpdate, savePendingUpdate } from "../db/plugin-history";
import { findPlugin, type PluginRecord } from "../db/plugins";
import { AppError } from "../errors";
import { log } from "../log";
import { findCatalogVersion } from "../plugin-catalog/browse";
import type { PermissionDiff, ResolvedVersion, UpdateResult, UpdateView } from "../plugin-catalog/types";
import { compareVersions } from "../plugin-catalog/versions";
import type { PluginManager } from "../plugins";
import { parseStoredManifest } from "../plugins/manifest/stored";
import { openPackage, sha256File } from "../plugins/package";
import { assertCompatible, assertSignatureAccepted, downloadVerifiedPackage } from "./catalog-package";
import { resolveCatalogVersion } from "./install";
import { serialized } from "./lock";
import { diffPermissions, summarizeCatalogVersion, summarizeManifest, type PermissionSummary } from "./permission-diff";
import { placePackage } from "./place";
import { copyAtomically, keepCurrentPackage, pendingPackagePath, recordPackage } from "./store";
import { wasmFunctionExports } from "./wasm-exports";

async function installedOrThrow(id: string): Promise<PluginRecord> {
  const record = await findPlugin(id);
  if (!record) throw new AppError("NOT_FOUND", "Plugin not found");
  return record;
}

const installedVersion = (record: PluginRecord) => parseStoredManifest(record.manifest).version;

/** What the installed package asks for, read from the package itself (manifest and exports). */
export async function installedSummary(record: PluginRecord): Promise<PermissionSummary> {
  const opened = await openPackage(record.path);
  return summarizeManifest(opened.manifest, wasmFunctionExports(opened.wasm));
}

/** The newest compatible catalog version when it is newer than the installed one (and another package), else null. */
export async function availableUpdate(record: PluginRecord): Promise<ResolvedVersion | null> {
  const latest = await findCatalogVersion(record.id);
  if (!latest || latest.version.sha256.toLowerCase() === record.sha256) return null;
  return compareVersions(latest.version.version, installedVersion(record)) > 0 ? latest : null;
}

/** `GET /api/plugin/{id}/update`: the available update with the permission diff the catalog declares, and the staged one. */
export async function updateView(id: string): Promise<UpdateView> {
  const record = await installedOrThrow(id);
  const latest = await availableUpdate(record);
  let available: UpdateView["available"] = null;
  if (latest) {
    const before = await installedSummary(record).catch(() => summarizeManifest(parseStoredManifest(record.manifest), []));
    available = { ...latest.version, diff: diffPermissions(before, summarizeCatalogVersion(latest.version, before)) };
  }
  const pending = await findPendingUpdate(id);
  return {
    pluginId: id,
    currentVersion: installedVersion(record),
    available,
    pending: pending
      ? { version: pending.version, sha256: pending.sha256, diff: JSON.parse(pending.diff) as PermissionDiff, releaseNotes: pending.releaseNotes ?? undefined, stagedAt: pending.stagedAt.toISOString() }
      : null,
  };
}

export interface UpdateOptions {
  version?: string;
  /** Auto-update: apply only when nothing new is asked for; never stage. */
  onlyWithoutApproval?: boolean;
}

/**
 * Updates a plugin from its catalog (issue #15 point 3). The package is downloaded and
 * checked as for an install, then compared with the installed one: asking for nothing new,
 * it replaces the installed package in place (settings kept; an enabled plugin is enabled
 * again on the new version); asking for more, it is staged as `pending.ndp` and the
 * installed version keeps running until an admin approves (or discards) it.
 */
export async function updateFromCatalog(manager: PluginManager, id: string, opts: UpdateOptions = {}): Promise<UpdateResult> {
  return serialized(id, async () => {
    const record = await installedOrThrow(id);
    const resolved = opts.version ? await resolveCatalogVersion(id, opts.version) : await availableUpdate(record);
    if (!resolved) throw new AppError("NOT_FOUND", `no newer compatible version of ${id} is in the plugin catalogs`);
    const version = resolved.version.version;
    if (resolved.version.sha256.toLowerCase() === record.sha256) throw new AppError("CONFLICT", `${id} ${version} is already installed`);
    const unchanged: UpdateResult = { pluginId: id, version, applied: false, pending: false };
    const before = await installedSummary(record);
    // Auto-update skips, without downloading, what the catalog already says needs approval.
    if (opts.onlyWithoutApproval && diffPermissions(before, summarizeCatalogVersion(resolved.version, before)).requiresApproval) return unchanged;
    if (opts.onlyWithoutApproval && (await findPendingUpdate(id))?.sha256 === resolved.version.sha256.toLowerCase()) return unchanged;
    assertCompatible(resolved);
    assertSignatureAccepted(resolved);
    const pkg = await downloadVerifiedPackage(manager, resolved);
    try {
      const diff = diffPermissions(before, summarizeManifest(pkg.manifest, pkg.exportNames));
      if (!diff.requiresApproval) {
        await keepCurrentPackage(manager, id);
        await placePackage(manager, id, pkg.file, { reEnable: true });
        await recordPackage(manager, id, pkg.file, { version, sha256: pkg.sha256, source: "catalog" });
        // A staged update for an older version is moot once a newer one is in.
        await discardPendingUnlocked(manager, id);
        log.info({ plugin: id, version }, "Plugin updated from its catalog");
        return { ...unchanged, applied: true };
      }
      if (opts.onlyWithoutApproval) return unchanged;
      copyAtomically(pkg.file, pendingPackagePath(manager, id));
      await savePendingUpdate({ pluginId: id, version, sha256: pkg.sha256, diff: JSON.stringify(diff), releaseNotes: resolved.version.releaseNotes ?? null });
      log.info({ plugin: id, version, added: diff.added, hostsAdded: diff.hostsAdded }, "Plugin update staged; it asks for new permissions");
      return { ...unchanged, pending: true };
    } finally {
      rmSync(pkg.file, { force: true });
    }
  });
}

/**
 * Approves a staged update: the admin has seen its new grants. The staged file is checked
 * again (hash as staged, package as an upload), then installed in place with settings kept;
 * an enabled plugin is enabled again (gates permitting: a new users/library permission
 * still needs its scope chosen).
 */
export async function approvePendingUpdate(manager: PluginManager, id: string): Promise<UpdateResult> {
  return serialized(id, async () => {
    await installedOrThrow(id);
    const pending = await findPendingUpdate(id);
    const file = pendingPackagePath(manager, id);
    if (!pending || !existsSync(file)) throw new AppError("NOT_FOUND", `${id} has no pending update`);
    const sha256 = await sha256File(file);
    if (sha256 !== pending.sha256) {
      await discardPendingUnlocked(manager, id);
      throw new AppError("UNPROCESSABLE", `the staged package changed on disk (sha256 ${sha256}, staged ${pending.sha256}); it was discarded`);
    }
    try {
      await openPackage(file);
    } catch (err) {
      throw new AppError("UNPROCESSABLE", (err as Error).message);
    }
    await keepCurrentPackage(manager, id);
    await placePackage(manager, id, file, { reEnable: true });
    await recordPackage(manager, id, file, { version: pending.version, sha256, source: "catalog" });
    await discardPendingUnlocked(manager, id);
    log.info({ plugin: id, version: pending.version }, "Plugin update approved and installed");
    return { pluginId: id, version: pending.version, applied: true, pending: false };
  });
}

/** Discards a staged update (the file and its row). */
export async function discardPendingUpdate(manager: PluginManager, id: string): Promise<void> {
  await serialized(id, async () => {
    if (!(await findPendingUpdate(id))) throw new AppError("NOT_FOUND", `${id} has no pending update`);
    await discardPendingUnlocked(manager, id);
  });
}

async function discardPendingUnlocked(manager: PluginManager, id: string): Promise<void> {
  rmSync(pendingPackagePath(manager, id), { force: true });
  await deletePendingUpdate(id);
}
