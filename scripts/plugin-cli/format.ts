import type { PackageInspection } from "@/lib/plugin-admin/inspect";
import type { PermissionSummary } from "@/lib/plugin-admin/permissions";
import type { RescanReport } from "./client";
import type { PluginSummary } from "./summary";

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

/** `Label  value` lines with the labels aligned; empty values are left out. */
function fields(pairs: [string, string][], indent = ""): string {
  const shown = pairs.filter(([, v]) => v !== "");
  const width = Math.max(...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}`).join("\n");
}

function permissionLines(permissions: PermissionSummary[]): string[] {
  if (!permissions.length) return ["  (none)"];
  return permissions.flatMap((p) => [`  ${p.key}${p.reason ? `: ${p.reason}` : ""}`, ...p.details.map((d) => `      ${d}`)]);
}

export function formatList(plugins: PluginSummary[]): string {
  if (!plugins.length) return "No plugins. Copy .ndp files into the plugins folder, then run `rescan`.";
  const rows = plugins.map((p) => [p.id, p.name, p.version, p.status, p.updatedAt.slice(0, 19).replace("T", " ")]);
  const out = [table(["ID", "NAME", "VERSION", "STATUS", "UPDATED"], rows)];
  const failing = plugins.filter((p) => p.lastError);
  if (failing.length) out.push("", "Errors:", ...failing.map((p) => `  ${p.id}: ${p.lastError}`));
  return out.join("\n");
}

export function formatUsers(p: PluginSummary): string {
  if (p.allUsers) return "all users";
  if (!p.users.length) return "none";
  return p.users.map((u) => u.userName ?? u.id).join(", ");
}

export function formatLibraries(p: PluginSummary): string {
  const scope = p.allLibraries ? "all libraries" : p.libraries.length ? p.libraries.join(", ") : "none";
  return `${scope}${p.allowWriteAccess ? " (write access)" : ""}`;
}

export function formatInfo(p: PluginSummary): string {
  const hasLibrary = p.permissions.some((x) => x.key === "library");
  const config = !p.configurable ? "(not configurable)" : p.config === null ? "(none saved)" : JSON.stringify(p.config);
  return [
    fields([
      ["ID", p.id],
      ["Name", p.name],
      ["Version", p.version],
      ["Author", p.author],
      ["Description", p.description],
      ["Website", p.website],
      ["Status", p.status],
      ["Error", p.lastError],
      ["Cannot enable", p.gate ?? ""],
      ["File", p.path],
      ["SHA-256", p.sha256],
      ["Installed", p.createdAt],
      ["Updated", p.updatedAt],
      ["Config", config],
      ["Users", p.permissions.some((x) => x.key === "users") || p.users.length || p.allUsers ? formatUsers(p) : ""],
      ["Libraries", hasLibrary || p.libraries.length || p.allLibraries ? formatLibraries(p) : ""],
    ]),
    "Permissions:",
    ...permissionLines(p.permissions),
  ].join("\n");
}

export function formatVerify(r: PackageInspection): string {
  const m = r.manifest;
  const out = [
    fields([
      ["File", r.file],
      ["ID", r.id ?? ""],
      ["Name", m?.name ?? ""],
      ["Version", m?.version ?? ""],
      ["Author", m?.author ?? ""],
      ["Description", m?.description ?? ""],
      ["Website", m?.website ?? ""],
      ["Config", m ? (r.configurable ? "has a configuration schema" : "not configurable") : ""],
      ["Capabilities", r.capabilities ? r.capabilities.join(", ") || "(none detected)" : ""],
    ]),
  ];
  if (m) out.push("Permissions:", ...permissionLines(r.permissions));
  if (r.notes.length) out.push("Before enabling:", ...r.notes.map((n) => `  - ${n}`));
  if (r.errors.length) out.push("Errors:", ...r.errors.map((e) => `  - ${e}`), "Result: FAILED (the server would not load this package)");
  else out.push("Result: OK (the server would load this package)");
  return out.join("\n");
}

export function formatRescan(r: RescanReport): string {
  const out: string[] = [];
  const list = (label: string, ids: string[]) => ids.length && out.push(`${label}: ${ids.join(", ")}`);
  list("Added", r.added);
  list("Changed (now disabled)", r.changed);
  list("Removed", r.removed);
  if (r.invalid?.length) out.push("Not added (invalid packages):", ...r.invalid.map((i) => `  ${i.file}: ${i.error}`));
  return out.length ? out.join("\n") : "No changes.";
}
