import type { PackageInspection } from "@/lib/plugin-admin/inspect";
import type { PermissionSummary } from "@/lib/plugin-admin/permissions";
import type { CatalogPluginView, HistoryEntry, PermissionDiff, RepositoryView, UpdateView } from "@/lib/plugin-catalog/types";
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

// ── catalogs, updates, history (issue #15) ──────────────────────────────────

const day = (iso: string | null) => (iso ? iso.slice(0, 19).replace("T", " ") : "never");

export function formatRepositories(repos: RepositoryView[]): string {
  if (!repos.length) return "No plugin repositories. Add one with `repo add <url>` or Plugins.Repositories.";
  const out = [table(["ID", "NAME", "SOURCE", "PLUGINS", "FETCHED", "URL"], repos.map((r) => [String(r.id), r.name ?? "-", r.source, String(r.pluginCount), day(r.lastFetchedAt), r.url]))];
  const failing = repos.filter((r) => r.lastError);
  if (failing.length) out.push("", "Errors:", ...failing.map((r) => `  ${r.id} ${r.url}: ${r.lastError}`));
  return out.join("\n");
}

export function formatCatalog(plugins: CatalogPluginView[]): string {
  if (!plugins.length) return "No plugins found in the catalogs.";
  const rows = plugins.map((p) => [
    p.id,
    p.name,
    p.latest?.version ?? `(none compatible; newest ${p.versions[0]?.version ?? "-"})`,
    p.installed ? `${p.installed.version}${p.updateAvailable ? ` (update: ${p.updateAvailable})` : ""}` : "-",
    p.latest?.signatureStatus ?? "-",
    p.repository.name ?? p.repository.url,
  ]);
  return table(["ID", "NAME", "LATEST", "INSTALLED", "SIGNATURE", "REPOSITORY"], rows);
}

/** A permission diff as review lines (`+` added, `-` removed). */
export function formatDiff(d: PermissionDiff): string[] {
  const lines = [
    ...d.added.map((p) => `  + permission ${p}`),
    ...d.hostsAdded.map((h) => `  + host ${h}`),
    ...(!d.libraryWrite.before && d.libraryWrite.after ? ["  + library file access"] : []),
    ...d.capabilitiesAdded.map((c) => `  + capability ${c}`),
    ...d.removed.map((p) => `  - permission ${p}`),
    ...d.hostsRemoved.map((h) => `  - host ${h}`),
    ...(d.libraryWrite.before && !d.libraryWrite.after ? ["  - library file access"] : []),
    ...d.capabilitiesRemoved.map((c) => `  - capability ${c}`),
  ];
  return lines.length ? lines : ["  (no permission changes)"];
}

export function formatUpdateView(u: UpdateView): string {
  const out = [`${u.pluginId}: installed ${u.currentVersion}`];
  if (u.available) {
    out.push(`Available: ${u.available.version} (signature: ${u.available.signatureStatus})${u.available.diff.requiresApproval ? " - asks for new permissions" : ""}`);
    if (u.available.releaseNotes) out.push(`Release notes: ${u.available.releaseNotes}`);
    out.push("Permission changes (as the catalog declares them):", ...formatDiff(u.available.diff));
  } else out.push("No newer compatible version in the catalogs.");
  if (u.pending) {
    out.push(`Staged: ${u.pending.version} (${u.pending.sha256.slice(0, 12)}), waiting for approval since ${day(u.pending.stagedAt)}`);
    if (u.pending.releaseNotes) out.push(`Release notes: ${u.pending.releaseNotes}`);
    out.push("Permission changes:", ...formatDiff(u.pending.diff), `Approve with \`update ${u.pluginId} --approve\`, or drop it with \`update ${u.pluginId} --discard\`.`);
  }
  return out.join("\n");
}

export function formatHistory(entries: HistoryEntry[]): string {
  if (!entries.length) return "No kept packages.";
  return table(
    ["", "VERSION", "SHA256", "SOURCE", "INSTALLED"],
    entries.map((e) => [e.current ? "*" : "", e.version, e.sha256.slice(0, 16), e.source, day(e.installedAt)]),
  );
}
