import type { Manifest } from "../plugins/manifest/types";

/** A permission as the admin sees it: its key, the author's reason, and what it allows. */
export interface PermissionSummary {
  key: string;
  reason?: string;
  details: string[];
}

/** What a permission allows, in the admin's words (hosts, sizes, concurrency, file access). */
export function permissionDetails(key: string, p: Record<string, unknown>): string[] {
  const d: string[] = [];
  if (Array.isArray(p.requiredHosts)) d.push(p.requiredHosts.length ? `hosts: ${p.requiredHosts.join(", ")}` : "hosts: none listed");
  if (key === "http" && !(Array.isArray(p.requiredHosts) && p.requiredHosts.length)) d.push("any public host (no private or loopback addresses)");
  if (key === "kvstore") d.push(`max size: ${typeof p.maxSize === "string" ? p.maxSize : "1 MiB (default)"}`);
  if (key === "taskqueue") d.push(`max concurrency: ${p.maxConcurrency ?? 1}`);
  if (key === "library") d.push(p.filesystem ? "read-only access to the files of its libraries" : "library metadata only");
  return d;
}

/** A manifest's declared permissions, in declaration order. */
export function summarizePermissions(manifest: Manifest): PermissionSummary[] {
  return Object.entries((manifest.permissions ?? {}) as Record<string, Record<string, unknown> | undefined>)
    .filter(([, v]) => v)
    .map(([key, v]) => ({ key, ...(typeof v!.reason === "string" ? { reason: v!.reason } : {}), details: permissionDetails(key, v!) }));
}
