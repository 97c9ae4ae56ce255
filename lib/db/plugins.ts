import "server-only";
import { db } from "./client";
import type { Plugin as PluginRow } from "./generated/prisma/client";

/**
 * The `plugin` table (contract §5.2). JSON-in-string columns are decoded here and
 * nowhere else: `users` is a JSON array of user ids, `libraries` of library ids,
 * `config` a JSON object as text; "" means never saved.
 */
export interface PluginRecord {
  id: string;
  path: string;
  /** Stored (re-serialised) manifest JSON text, contract §1.9. */
  manifest: string;
  /** Config JSON object as text, "" when never saved. */
  config: string;
  users: string[];
  allUsers: boolean;
  libraries: number[];
  allLibraries: boolean;
  allowWriteAccess: boolean;
  enabled: boolean;
  lastError: string;
  sha256: string;
  createdAt: Date;
  updatedAt: Date;
}

export class SettingsDecodeError extends Error {}

function decodeArray<T>(text: string, what: string, check: (v: unknown) => v is T): T[] {
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new SettingsDecodeError(`parsing plugin ${what}: ${(err as Error).message}`);
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed) || !parsed.every(check)) throw new SettingsDecodeError(`parsing plugin ${what}: not a JSON array of ${what === "users" ? "strings" : "integers"}`);
  return parsed;
}

export function toRecord(row: PluginRow): PluginRecord {
  return {
    ...row,
    users: decodeArray(row.users, "users", (v): v is string => typeof v === "string"),
    libraries: decodeArray(row.libraries, "libraries", (v): v is number => Number.isInteger(v)),
  };
}

const encodeUsers = (ids: string[] | undefined) => (ids === undefined ? undefined : JSON.stringify(ids));
const encodeLibraries = (ids: number[] | undefined) => (ids === undefined ? undefined : JSON.stringify(ids));

export async function listPluginRows(): Promise<PluginRow[]> {
  return db().plugin.findMany({ orderBy: { id: "asc" } });
}

export async function listPlugins(): Promise<PluginRecord[]> {
  return (await listPluginRows()).map(toRecord);
}

export async function findPluginRow(id: string): Promise<PluginRow | null> {
  return db().plugin.findUnique({ where: { id } });
}

export async function findPlugin(id: string): Promise<PluginRecord | null> {
  const row = await findPluginRow(id);
  return row ? toRecord(row) : null;
}

export interface PluginPatch {
  path?: string;
  manifest?: string;
  config?: string;
  users?: string[];
  allUsers?: boolean;
  libraries?: number[];
  allLibraries?: boolean;
  allowWriteAccess?: boolean;
  enabled?: boolean;
  lastError?: string;
  sha256?: string;
}

export async function insertPlugin(data: { id: string; path: string; manifest: string; sha256: string }): Promise<void> {
  await db().plugin.create({ data: { ...data, enabled: false } });
}

export async function updatePlugin(id: string, patch: PluginPatch): Promise<void> {
  const { users, libraries, ...rest } = patch;
  await db().plugin.update({ where: { id }, data: { ...rest, users: encodeUsers(users), libraries: encodeLibraries(libraries) } });
}

export async function deletePluginRow(id: string): Promise<void> {
  await db().plugin.delete({ where: { id } }).catch(() => undefined);
}

/** Start-up rule: every plugin's last error is cleared (contract §5.3 step 5). */
export async function clearPluginErrors(): Promise<void> {
  await db().plugin.updateMany({ data: { lastError: "" } });
}
