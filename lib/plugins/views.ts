import "server-only";
import type { PluginRecord } from "../db/plugins";
import type { PermissionView, PluginView } from "@/components/plugins/types";
import { pluginManager } from "./index";
import { PluginManager } from "./manager";
import { capabilityUsage } from "./usage";
import { maskConfig } from "./config-secrets";
import { parseStoredManifest } from "./manifest/stored";

export function permissionDetails(key: string, p: Record<string, unknown>): string[] {
  const d: string[] = [];
  if (Array.isArray(p.requiredHosts)) d.push(p.requiredHosts.length ? `hosts: ${p.requiredHosts.join(", ")}` : "hosts: none listed");
  if (key === "http" && !(Array.isArray(p.requiredHosts) && p.requiredHosts.length)) d.push("any public host (no private or loopback addresses)");
  if (key === "kvstore") d.push(`max size: ${typeof p.maxSize === "string" ? p.maxSize : "1 MiB (default)"}`);
  if (key === "taskqueue") d.push(`max concurrency: ${p.maxConcurrency ?? 1}`);
  if (key === "library") d.push(p.filesystem ? "read-only access to the files of its libraries" : "library metadata only");
  return d;
}

/** Everything the plugin pages show about one plugin. */
export function pluginView(r: PluginRecord): PluginView {
  const m = parseStoredManifest(r.manifest);
  const perms = (m.permissions ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const permissions: PermissionView[] = Object.entries(perms)
    .filter(([, v]) => v)
    .map(([key, v]) => ({ key, reason: typeof v!.reason === "string" ? v!.reason : undefined, details: permissionDetails(key, v!) }));
  const loaded = pluginManager()?.loadedPlugin(r.id);
  return {
    id: r.id,
    name: m.name,
    version: m.version,
    author: m.author,
    description: m.description ?? "",
    website: m.website ?? "",
    path: r.path,
    enabled: r.enabled,
    lastError: r.lastError,
    sha256: r.sha256,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    manifest: r.manifest,
    permissions,
    capabilities: loaded ? [...loaded.capabilities] : null,
    usage: capabilityUsage(r.id),
    gate: PluginManager.gateError(r),
    config: maskConfig(r.config, m),
    configSchema: (m.config?.schema as Record<string, unknown>) ?? null,
    configUiSchema: (m.config?.uiSchema as Record<string, unknown>) ?? null,
    users: r.users,
    allUsers: r.allUsers,
    libraries: r.libraries,
    allLibraries: r.allLibraries,
    allowWriteAccess: r.allowWriteAccess,
    hasUsersPermission: Boolean(perms.users),
    hasLibraryPermission: Boolean(perms.library),
    filesystem: Boolean(perms.library?.filesystem),
  };
}
