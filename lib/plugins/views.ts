import "server-only";
import type { PluginRecord } from "../db/plugins";
import type { ActivityView, PermissionView, PluginView } from "@/components/plugins/types";
import type { PluginActivity } from "./activity";
import { pluginManager } from "./index";
import { PluginManager } from "./manager";
import { capabilityUsage } from "./usage";
import { maskConfig, redactSecrets } from "./config-secrets";
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
    lastError: redactSecrets(r.lastError, r.config, m),
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

/**
 * A plugin's recent log lines and call metrics as the admin sees them, with the secrets of
 * its config masked: a plugin may log or fail with its own API key in the message.
 */
export function activityView(r: PluginRecord, activity: PluginActivity): ActivityView {
  const m = parseStoredManifest(r.manifest);
  const redact = (text: string) => redactSecrets(text, r.config, m);
  return {
    lines: activity.recentLines().map((l) => ({ ...l, message: redact(l.message) })),
    metrics: activity.metrics().map((x) => (x.lastError === undefined ? x : { ...x, lastError: redact(x.lastError) })),
  };
}
