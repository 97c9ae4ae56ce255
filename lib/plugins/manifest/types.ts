/**
 * The plugin manifest as Navidrome decodes it (contract §1.3–§1.6). Optional objects are
 * absent when missing or `null`; a permission is granted by its presence.
 */

export interface PermissionBase {
  /** Why the plugin needs it; shown to the admin. */
  reason?: string;
}

export interface HostsPermission extends PermissionBase {
  /** Host patterns: exact names, `*`, or `*.suffix`. */
  requiredHosts?: string[];
}

export interface LibraryPermission extends PermissionBase {
  /** Mount the plugin's libraries read-only at `/libraries/<id>`. Default false. */
  filesystem?: boolean;
}

export interface KVStorePermission extends PermissionBase {
  /** go-humanize size (`1MB` = 10^6 bytes); default 1 MiB. */
  maxSize?: string;
}

/** HTTPEndpoint's permission (Navidrome PR #5045, open): how callers of `/ext/<id>/…` authenticate. */
export interface EndpointsPermission extends PermissionBase {
  auth: "native" | "subsonic" | "none";
  /** Informational, for the admin UI: every path under the plugin's prefix is dispatched. */
  paths?: string[];
}

export interface TaskQueuePermission extends PermissionBase {
  /** Total worker budget over all queues; ≥ 1, default 1. */
  maxConcurrency: number;
}

/** Permission keys in the order Go serialises them (alphabetical struct fields). */
export interface Permissions {
  artwork?: PermissionBase;
  cache?: PermissionBase;
  /** Open PR #5045 (HTTPEndpoint); `auth` other than `none` needs `users`. */
  endpoints?: EndpointsPermission;
  http?: HostsPermission;
  kvstore?: KVStorePermission;
  library?: LibraryPermission;
  /** Later addition (needs `library`). */
  matcher?: PermissionBase;
  scheduler?: PermissionBase;
  /** Later addition (needs `users`). */
  scrobbleRetriever?: PermissionBase;
  /** Later addition. */
  storage?: PermissionBase;
  subsonicapi?: PermissionBase;
  taskqueue?: TaskQueuePermission;
  users?: PermissionBase;
  websocket?: HostsPermission;
}

export type PermissionKey = keyof Permissions;

export interface ConfigDefinition {
  /** JSON Schema of the plugin's configuration. */
  schema: Record<string, unknown>;
  /** JSONForms UI schema; not validated server-side. */
  uiSchema?: Record<string, unknown>;
}

export interface Manifest {
  author: string;
  config?: ConfigDefinition;
  description?: string;
  name: string;
  permissions?: Permissions;
  version: string;
  website?: string;
}
