import "server-only";
import type { PluginRecord } from "../db/plugins";
import type { ActivityView, PermissionView, PluginView } from "@/components/plugins/types";
import { pluginManager, PluginManager } from "../plugins";
import type { PluginActivity } from "../plugins/activity";
import { parseStoredManifest } from "../plugins/manifest/stored";
import { settings } from "../server/settings";
import { maskConfig, redactSecrets } from "./config-secrets";
import { endpointsView } from "./endpoints";
import { permissionDetails } from "./permissions";
import { capabilityUsage } from "./usage";
import { updateStates } from "../plugin-lifecycle/update-state";

/** Everything the plugin pages show about one plugin. */
export function pluginView(r: PluginRecord): PluginView {
  const m = parseStoredManifest(r.manifest);
  const perms = (m.permissions ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const permissions: PermissionView[] = Object.entries(perms)
    .filter(([, v]) => v)
    .map(([key, v]) => ({ key, reason: typeof v!.reason === "string" ? v!.reason : undefined, details: permissionDetails(key, v!) }));
  const loaded = pluginManager()?.loadedPlugin(r.id);
  const capabilities = loaded ? [...loaded.capabilities] : null;
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
    capabilities,
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
    endpoints: endpointsView(r.id, m, capabilities, settings().BaseUrl),
  };
}

/**
 * `pluginView` for several plugins with their update badges (`updateAvailable`,
 * `pendingUpdate`, issue #15), read from the cached catalogs and staged updates.
 */
export async function pluginViewsWithUpdates(records: PluginRecord[]): Promise<PluginView[]> {
  const states = await updateStates();
  return records.map((r) => ({ ...pluginView(r), ...states.get(r.id) }));
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
