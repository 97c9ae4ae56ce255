import "server-only";
import { maskConfig, redactSecrets } from "./config-secrets";
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PluginRecord } from "../db/plugins";
import { findPlugin, listPlugins } from "../db/plugins";
import { AppError } from "../errors";
import { formatConfigErrors } from "./config-schema";
import { validateConfigOffThread } from "./config-validation-pool";
import { SchemaLimitError } from "./schema-limits";
import { FunctionNotFoundError, PluginError } from "./errors";
import { isUsablePluginId, pluginIdFromFileName } from "./id";
import type { PluginManager } from "./manager";
import { parseStoredManifest } from "./manifest/stored";
import { openPackage } from "./package";

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

/**
 * Config check before a save: `""` validates as `{}`; a plugin without a schema takes no
 * config. Validation runs in a worker under a time budget (a plugin's `pattern` may
 * backtrack for seconds on a long string); overrunning it is a refusal like the limits.
 */
export async function checkConfigForSave(record: PluginRecord, configText: string): Promise<{ fields: Record<string, string>; message: string } | null> {
  const manifest = parseStoredManifest(record.manifest);
  const schema = manifest.config?.schema as Record<string, unknown> | undefined;
  if (!schema) return { fields: {}, message: "plugin has no configurable options" };
  let value: unknown = {};
  if (configText !== "") value = JSON.parse(configText);
  let errors;
  try {
    errors = await validateConfigOffThread(schema, value);
  } catch (err) {
    // A schema or config over the limits of schema-limits.ts, or over the time budget: refused.
    if (err instanceof SchemaLimitError) return { fields: {}, message: err.message };
    throw err;
  }
  if (!errors.length) return null;
  return { fields: Object.fromEntries(errors.map((e) => [e.field, e.message])), message: formatConfigErrors(errors) };
}

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
  try {
    await openPackage(bytes);
  } catch (err) {
    throw new AppError("INVALID_INPUT", (err as Error).message);
  }
  const target = path.join(manager.opts.folder, base);
  const exists = existsSync(target) || (await findPlugin(id)) !== null;
  if (exists && !replace) throw new AppError("CONFLICT", `a plugin with id "${id}" is already installed; confirm to replace it`);
  // Written beside the target under a name the scanner ignores, then renamed: the folder
  // never holds a half-written package.
  const tmp = path.join(manager.opts.folder, `.${base}.upload-${process.pid}`);
  writeFileSync(tmp, bytes);
  renameSync(tmp, target);
  await manager.sync();
  return { id, replaced: exists };
}

export async function deletePluginPackage(manager: PluginManager, id: string): Promise<void> {
  const record = await findPlugin(id);
  if (!record) throw new AppError("NOT_FOUND", "Plugin not found");
  if (existsSync(record.path)) unlinkSync(record.path);
  await manager.sync();
}

export async function readPluginPackage(id: string): Promise<{ fileName: string; bytes: Buffer }> {
  const record = await findPlugin(id);
  if (!record || !existsSync(record.path)) throw new AppError("NOT_FOUND", "Plugin not found");
  return { fileName: path.basename(record.path), bytes: readFileSync(record.path) };
}

/**
 * Calls one export of a loaded plugin for an admin (the debug endpoint): the plugin's
 * decoded JSON output, or its failure as a message the caller may see.
 */
export async function callPluginAsAdmin(manager: PluginManager, id: string, fn: string, input: unknown): Promise<unknown> {
  const record = await findPlugin(id);
  if (!record) throw new AppError("NOT_FOUND", "Plugin not found");
  if (!manager.loadedPlugin(id)) throw new AppError("CONFLICT", `plugin ${id} is not enabled`);
  try {
    return (await manager.call(id, fn, input)) ?? null;
  } catch (err) {
    if (err instanceof FunctionNotFoundError) throw new AppError("NOT_FOUND", err.message);
    if (err instanceof PluginError) throw new AppError("UNPROCESSABLE", err.message, { cause: err });
    throw err;
  }
}
