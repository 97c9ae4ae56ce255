import "server-only";
import type { PluginRecord } from "../db/plugins";
import { listPlugins } from "../db/plugins";
import { parseStoredManifest } from "../plugins/manifest/stored";
import { maskConfig, redactSecrets } from "./config-secrets";

/**
 * The plugin resource as the native API answers it (contract §6.1): the row, with the
 * JSON columns as strings and Navidrome's omitempty fields left out when empty.
 */
export function pluginResource(r: PluginRecord) {
  return {
    id: r.id,
    path: r.path,
    manifest: r.manifest,
    // Secrets leave masked (config-secrets.ts), also where a plugin's load error quotes one.
    ...(r.config ? { config: maskConfig(r.config, parseStoredManifest(r.manifest)) } : {}),
    ...(r.users.length ? { users: JSON.stringify(r.users) } : {}),
    ...(r.allUsers ? { allUsers: true } : {}),
    ...(r.libraries.length ? { libraries: JSON.stringify(r.libraries) } : {}),
    allLibraries: r.allLibraries,
    allowWriteAccess: r.allowWriteAccess,
    enabled: r.enabled,
    ...(r.lastError ? { lastError: redactSecrets(r.lastError, r.config, parseStoredManifest(r.manifest)) } : {}),
    sha256: r.sha256,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
export type PluginResource = ReturnType<typeof pluginResource>;

export interface ListQuery {
  sort?: string;
  order?: "ASC" | "DESC";
  start?: number;
  end?: number;
  id?: string;
  enabled?: boolean;
}

/** react-admin list conventions: `_sort`, `_order`, `_start`, `_end`, filters `id` and `enabled`. */
export async function listPluginResources(q: ListQuery): Promise<{ total: number; items: PluginResource[] }> {
  let rows = await listPlugins();
  if (q.id) rows = rows.filter((r) => r.id.includes(q.id!));
  if (q.enabled !== undefined) rows = rows.filter((r) => r.enabled === q.enabled);
  const key = (q.sort ?? "id") as keyof PluginRecord;
  rows.sort((a, b) => String(a[key] ?? "").localeCompare(String(b[key] ?? "")) * (q.order === "DESC" ? -1 : 1));
  const total = rows.length;
  const start = q.start ?? 0;
  return { total, items: rows.slice(start, q.end ?? undefined).map(pluginResource) };
}
