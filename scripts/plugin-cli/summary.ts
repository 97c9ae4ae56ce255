import type { PluginResource } from "@/lib/plugin-admin/resource";
import { summarizePermissions, type PermissionSummary } from "@/lib/plugin-admin/permissions";
import { PluginManager } from "@/lib/plugins/manager";
import { parseStoredManifest } from "@/lib/plugins/manifest/stored";
import { recordFromResource, type UserRef } from "./client";

/** One plugin as `info` and `list --json` print it: the row decoded, the manifest read. */
export interface PluginSummary {
  id: string;
  name: string;
  version: string;
  author: string;
  description: string;
  website: string;
  status: "enabled" | "disabled" | "error";
  enabled: boolean;
  lastError: string;
  /** Why it cannot be enabled now (contract §1.7 rules 11–12), or null. */
  gate: string | null;
  path: string;
  sha256: string;
  createdAt: string;
  updatedAt: string;
  permissions: PermissionSummary[];
  configurable: boolean;
  /** The saved configuration, or null when none was saved. */
  config: unknown;
  allUsers: boolean;
  /** Selected users (ids), with their names when known. */
  users: { id: string; userName?: string }[];
  allLibraries: boolean;
  libraries: number[];
  allowWriteAccess: boolean;
}

export function summarizePlugin(resource: PluginResource, knownUsers: UserRef[] = []): PluginSummary {
  const record = recordFromResource(resource);
  const manifest = parseStoredManifest(record.manifest);
  const names = new Map(knownUsers.map((u) => [u.id, u.userName]));
  return {
    id: record.id,
    name: manifest.name,
    version: manifest.version,
    author: manifest.author,
    description: manifest.description ?? "",
    website: manifest.website ?? "",
    status: record.lastError ? "error" : record.enabled ? "enabled" : "disabled",
    enabled: record.enabled,
    lastError: record.lastError,
    gate: record.enabled ? null : PluginManager.gateError(record),
    path: record.path,
    sha256: record.sha256,
    createdAt: resource.createdAt,
    updatedAt: resource.updatedAt,
    permissions: summarizePermissions(manifest),
    configurable: Boolean(manifest.config?.schema),
    config: record.config ? JSON.parse(record.config) : null,
    allUsers: record.allUsers,
    users: record.users.map((id) => (names.has(id) ? { id, userName: names.get(id) } : { id })),
    allLibraries: record.allLibraries,
    libraries: record.libraries,
    allowWriteAccess: record.allowWriteAccess,
  };
}

/** Whether the manifest declares a permission (the users/libraries commands refuse otherwise). */
export function declares(resource: PluginResource, key: "users" | "library"): boolean {
  return Boolean(parseStoredManifest(resource.manifest).permissions?.[key]);
}
