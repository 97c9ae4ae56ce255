import "server-only";
import { db } from "./client";

/**
 * The `PluginPackage` (kept packages, for rollback) and `PluginPendingUpdate` (an update
 * waiting for permission approval) tables of issue #15. The files themselves live under
 * `<DataFolder>/plugin-packages/<pluginId>/` (lib/plugin-lifecycle/store.ts).
 */
export type PackageSource = "upload" | "catalog" | "folder" | "rollback";

export interface PluginPackageRecord {
  pluginId: string;
  version: string;
  sha256: string;
  source: PackageSource;
  installedAt: Date;
}

export interface PendingUpdateRecord {
  pluginId: string;
  version: string;
  sha256: string;
  /** PermissionDiff JSON text. */
  diff: string;
  releaseNotes: string | null;
  stagedAt: Date;
}

const SOURCES: readonly PackageSource[] = ["upload", "catalog", "folder", "rollback"];
const toPackage = (row: { pluginId: string; version: string; sha256: string; source: string; installedAt: Date }): PluginPackageRecord => ({
  pluginId: row.pluginId,
  version: row.version,
  sha256: row.sha256,
  source: (SOURCES as readonly string[]).includes(row.source) ? (row.source as PackageSource) : "folder",
  installedAt: row.installedAt,
});

/** A plugin's kept packages, most recently installed first. */
export async function listPluginPackages(pluginId: string): Promise<PluginPackageRecord[]> {
  const rows = await db().pluginPackage.findMany({ where: { pluginId }, orderBy: [{ installedAt: "desc" }, { id: "desc" }] });
  return rows.map(toPackage);
}

export async function findPluginPackage(pluginId: string, sha256: string): Promise<PluginPackageRecord | null> {
  const row = await db().pluginPackage.findUnique({ where: { pluginId_sha256: { pluginId, sha256 } } });
  return row ? toPackage(row) : null;
}

/** Records a package as installed now; a package seen before moves to the top with its new source. */
export async function upsertPluginPackage(data: { pluginId: string; version: string; sha256: string; source: PackageSource; installedAt?: Date }): Promise<void> {
  const installedAt = data.installedAt ?? new Date();
  await db().pluginPackage.upsert({
    where: { pluginId_sha256: { pluginId: data.pluginId, sha256: data.sha256 } },
    create: { ...data, installedAt },
    update: { version: data.version, source: data.source, installedAt },
  });
}

export async function deletePluginPackage(pluginId: string, sha256: string): Promise<void> {
  await db().pluginPackage.deleteMany({ where: { pluginId, sha256 } });
}

export async function findPendingUpdate(pluginId: string): Promise<PendingUpdateRecord | null> {
  return db().pluginPendingUpdate.findUnique({ where: { pluginId } });
}

/** Pending updates of every plugin (for the list view). */
export async function listPendingUpdates(): Promise<PendingUpdateRecord[]> {
  return db().pluginPendingUpdate.findMany({ orderBy: { pluginId: "asc" } });
}

/** Stages (or replaces) a plugin's pending update. */
export async function savePendingUpdate(data: Omit<PendingUpdateRecord, "stagedAt">): Promise<PendingUpdateRecord> {
  const stagedAt = new Date();
  return db().pluginPendingUpdate.upsert({ where: { pluginId: data.pluginId }, create: { ...data, stagedAt }, update: { ...data, stagedAt } });
}

export async function deletePendingUpdate(pluginId: string): Promise<void> {
  await db().pluginPendingUpdate.deleteMany({ where: { pluginId } });
}
