import type { CatalogVersion, PermissionDiff } from "../plugin-catalog/types";
import { detectCapabilities } from "../plugins/capabilities/registry";
import type { Manifest } from "../plugins/manifest/types";

/**
 * What a package asks for, in the terms an admin reviews before an update: permission
 * keys, the hosts it may reach (http and websocket), whether it may get library files
 * (the mount an admin can make writable) and the capabilities its exports reveal.
 */
export interface PermissionSummary {
  permissions: string[];
  hosts: string[];
  libraryWrite: boolean;
  capabilities: string[];
}

/**
 * A widened grant inside a permission the plugin already holds is listed as its own entry,
 * so it shows up as "added": HTTP endpoints that anyone may call without signing in.
 */
const UNAUTHENTICATED_ENDPOINTS = "endpoints.auth=none";

/** The summary of a package from its manifest and its wasm's function exports. */
export function summarizeManifest(manifest: Manifest, exportNames: readonly string[]): PermissionSummary {
  const perms = (manifest.permissions ?? {}) as Record<string, unknown>;
  const permissions = Object.keys(perms).filter((k) => perms[k] !== undefined && perms[k] !== null);
  if (manifest.permissions?.endpoints?.auth === "none") permissions.push(UNAUTHENTICATED_ENDPOINTS);
  // Host names compare case-insensitively, as the allow-list matches them.
  const hosts = [...(manifest.permissions?.http?.requiredHosts ?? []), ...(manifest.permissions?.websocket?.requiredHosts ?? [])].map((h) => h.toLowerCase());
  return {
    permissions: sortedUnique(permissions),
    hosts: sortedUnique(hosts),
    libraryWrite: Boolean(manifest.permissions?.library?.filesystem),
    capabilities: sortedUnique(detectCapabilities(exportNames)),
  };
}

/**
 * What a catalog says a version asks for, for showing before anything is downloaded.
 * Fields the catalog leaves out are taken as unchanged from `installed`: the decision to
 * apply or stage is made later on the downloaded package itself, never on this.
 */
export function summarizeCatalogVersion(version: CatalogVersion, installed: PermissionSummary): PermissionSummary {
  return {
    permissions: version.permissions ? sortedUnique(version.permissions) : installed.permissions,
    hosts: version.hosts ? sortedUnique(version.hosts.map((h) => h.toLowerCase())) : installed.hosts,
    libraryWrite: version.libraryWrite ?? installed.libraryWrite,
    capabilities: version.capabilities ? sortedUnique(version.capabilities) : installed.capabilities,
  };
}

/** Before/after comparison; anything added (permission, host, library write, capability) needs approval. */
export function diffPermissions(before: PermissionSummary, after: PermissionSummary): PermissionDiff {
  const minus = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));
  const added = minus(after.permissions, before.permissions);
  const hostsAdded = minus(after.hosts, before.hosts);
  const capabilitiesAdded = minus(after.capabilities, before.capabilities);
  const libraryWrite = { before: before.libraryWrite, after: after.libraryWrite };
  return {
    added,
    removed: minus(before.permissions, after.permissions),
    hostsAdded,
    hostsRemoved: minus(before.hosts, after.hosts),
    libraryWrite,
    capabilitiesAdded,
    capabilitiesRemoved: minus(before.capabilities, after.capabilities),
    requiresApproval: added.length > 0 || hostsAdded.length > 0 || capabilitiesAdded.length > 0 || (!libraryWrite.before && libraryWrite.after),
  };
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
