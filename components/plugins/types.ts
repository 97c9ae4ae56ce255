/** What the plugin pages hand to their client components (server-composed). */
export interface PermissionView {
  key: string;
  reason?: string;
  details: string[];
}

export interface PluginView {
  id: string;
  name: string;
  version: string;
  author: string;
  description: string;
  website: string;
  path: string;
  enabled: boolean;
  lastError: string;
  sha256: string;
  createdAt: string;
  updatedAt: string;
  /** Stored manifest JSON text (pretty-printed in the detail page). */
  manifest: string;
  permissions: PermissionView[];
  /** Detected at load; null while not loaded. */
  capabilities: string[] | null;
  /** Where the server uses the capabilities (agent order, lyrics priority…), for a loaded plugin. */
  usage: string[];
  /** Why the enable switch is blocked (users/library scope missing), or null. */
  gate: string | null;
  config: string;
  configSchema: Record<string, unknown> | null;
  configUiSchema: Record<string, unknown> | null;
  users: string[];
  allUsers: boolean;
  libraries: number[];
  allLibraries: boolean;
  allowWriteAccess: boolean;
  hasUsersPermission: boolean;
  hasLibraryPermission: boolean;
  filesystem: boolean;
  /** The plugin's HTTP endpoints (`endpoints` permission), or null when it declares none. */
  endpoints: EndpointsView | null;
  /** Newest compatible catalog version when newer than the installed one (issue #15). */
  updateAvailable?: string;
  /** Version of a staged update waiting for its new permissions to be approved (issue #15). */
  pendingUpdate?: string;
}

/** A plugin's HTTP endpoints as the admin sees them (lib/plugin-admin/endpoints.ts). */
export interface EndpointsView {
  /** How callers authenticate (the manifest's `permissions.endpoints.auth`). */
  auth: "native" | "subsonic" | "none";
  /** Who may call, in the admin's words. */
  authLabel: string;
  /** Set for `none`: why the URLs deserve a second look; null for authenticated modes. */
  warning: string | null;
  reason?: string;
  /** Whether requests reach the plugin now (loaded, with the export); otherwise they answer 404. */
  served: boolean;
  /** One row per declared path (the plugin's root when it lists none), under both mounts. */
  urls: { path: string; url: string; restUrl: string }[];
}

export interface ActivityView {
  lines: { at: string; level: string; message: string }[];
  metrics: { name: string; count: number; errors: number; p50Ms: number; p95Ms: number; lastError?: string }[];
}
