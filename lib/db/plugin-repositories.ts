import "server-only";
import { db } from "./client";

/**
 * The `PluginRepository` table: plugin catalog URLs (admin-added, or mirrored from
 * `Plugins.Repositories` with source "config") and each one's cached catalog.
 */
export interface PluginRepositoryRecord {
  id: number;
  url: string;
  source: "config" | "admin";
  name: string | null;
  /** The last good catalog JSON text, or null before the first good fetch. */
  catalog: string | null;
  etag: string | null;
  fetchedAt: Date | null;
  lastError: string | null;
  createdAt: Date;
}

type Row = Omit<PluginRepositoryRecord, "source"> & { source: string };
const toRecord = (row: Row): PluginRepositoryRecord => ({ ...row, source: row.source === "config" ? "config" : "admin" });

/** Every repository row, oldest first. */
export async function listPluginRepositoryRows(): Promise<PluginRepositoryRecord[]> {
  return (await db().pluginRepository.findMany({ orderBy: { id: "asc" } })).map(toRecord);
}

export async function findPluginRepositoryRow(id: number): Promise<PluginRepositoryRecord | null> {
  const row = await db().pluginRepository.findUnique({ where: { id } });
  return row ? toRecord(row) : null;
}

export async function findPluginRepositoryRowByUrl(url: string): Promise<PluginRepositoryRecord | null> {
  const row = await db().pluginRepository.findUnique({ where: { url } });
  return row ? toRecord(row) : null;
}

/** Inserts a repository, or (for an existing URL) sets its source. */
export async function upsertPluginRepositoryRow(url: string, source: "config" | "admin"): Promise<PluginRepositoryRecord> {
  return toRecord(await db().pluginRepository.upsert({ where: { url }, create: { url, source }, update: { source } }));
}

export async function deletePluginRepositoryRow(id: number): Promise<void> {
  await db().pluginRepository.deleteMany({ where: { id } });
}

/** Rows mirrored from config whose URL is no longer configured. */
export async function deleteStaleConfigRepositoryRows(keepUrls: string[]): Promise<void> {
  await db().pluginRepository.deleteMany({ where: { source: "config", url: { notIn: keepUrls } } });
}

/** Stores a good fetch: the catalog text and name, the time, and clears the error. */
export async function saveFetchedCatalog(id: number, data: { catalog: string; name: string; etag: string | null; fetchedAt: Date }): Promise<void> {
  await db().pluginRepository.updateMany({ where: { id }, data: { ...data, lastError: null } });
}

/** Stores a failed fetch; the last good catalog stays cached. */
export async function saveCatalogError(id: number, lastError: string): Promise<void> {
  await db().pluginRepository.updateMany({ where: { id }, data: { lastError } });
}
