import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import AdmZip from "adm-zip";
import { configureDatabase } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import type { Engine } from "@/lib/plugins/engine";
import { inspectPackage, type PackageInspection } from "@/lib/plugin-admin/inspect";
import { exportNotes, importNotes } from "@/lib/plugins/compat/classify";
import { parseManifest } from "@/lib/plugins/manifest/parse";
import type { Manifest } from "@/lib/plugins/manifest/types";
import { openPackage } from "@/lib/plugins/package";

export interface ValidationReport {
  file: string;
  ok: boolean;
  /** Why the server would refuse the package, or why the manifest breaks the schema. */
  errors: string[];
  /** Things that load but are probably not what the author meant. */
  warnings: string[];
  /** The server's own load check (`npm run plugin -- verify`), unchanged. */
  inspection: PackageInspection | null;
}

/** Entries the server ignores, nested copies it will not find, duplicates (contract §1.1). */
function layoutWarnings(file: string): string[] {
  let names: string[];
  try {
    names = new AdmZip(file).getEntries().map((e) => e.entryName);
  } catch {
    return []; // the package check below reports an unreadable archive
  }
  const warnings: string[] = [];
  for (const wanted of ["manifest.json", "plugin.wasm"]) {
    if (names.filter((n) => n === wanted).length > 1) warnings.push(`${wanted} appears more than once in the archive`);
    for (const n of names) if (n !== wanted && n.endsWith(`/${wanted}`)) warnings.push(`${n} is not at the archive root, so the server never reads it (package with zip -j or ndp build)`);
  }
  const extra = names.filter((n) => n !== "manifest.json" && n !== "plugin.wasm" && !n.endsWith("/manifest.json") && !n.endsWith("/plugin.wasm"));
  if (extra.length) warnings.push(`the server ignores these entries: ${extra.join(", ")}`);
  return warnings;
}

function manifestWarnings(m: Manifest): string[] {
  const warnings: string[] = [];
  for (const [key, value] of Object.entries((m.permissions ?? {}) as Record<string, Record<string, unknown> | undefined>)) {
    if (value && !value.reason) warnings.push(`permission '${key}' has no reason; admins see the reason when they decide to enable the plugin`);
  }
  if (m.permissions?.websocket && !m.permissions.websocket.requiredHosts?.length) warnings.push("websocket.requiredHosts is empty, which allows no host at all");
  if (m.permissions?.http && !m.permissions.http.requiredHosts?.length)
    warnings.push("http.requiredHosts is empty: any public host is allowed, but no localhost or private address, and Extism's built-in http_request allows nothing");
  return warnings;
}

/** What the version table says about imports that resolve and exports no host calls (lib/plugins/compat). */
async function compatWarnings(file: string): Promise<string[]> {
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile((await openPackage(file)).wasm as Uint8Array<ArrayBuffer>);
  } catch {
    return []; // the load check reports why
  }
  const hostImports = WebAssembly.Module.imports(module).filter((i) => i.module === "extism:host/user").map((i) => i.name);
  const exports = WebAssembly.Module.exports(module).filter((e) => e.kind === "function").map((e) => e.name);
  return [...importNotes(hostImports), ...exportNotes(exports)];
}

/**
 * `ndp validate`: the manifest against the schema with no leniency (unknown keys are errors
 * here although the server ignores them), then exactly the checks the server runs before a
 * package can be enabled: archive, manifest rules, compile, imports, capability rules.
 */
export async function validateFile(file: string, opts: { engine: Engine }): Promise<ValidationReport> {
  const report: ValidationReport = { file, ok: false, errors: [], warnings: layoutWarnings(file), inspection: null };
  let manifestBytes: Uint8Array | null = null;
  try {
    manifestBytes = (await openPackage(file)).manifestBytes;
  } catch {
    // inspectPackage below reports it in the server's words
  }
  if (manifestBytes) {
    try {
      report.warnings.push(...manifestWarnings(parseManifest(manifestBytes, { strict: true })));
    } catch (err) {
      const e = err as Error & { path?: string };
      report.errors.push(`manifest.json does not follow the manifest schema: ${e.message}${e.path ? ` (at ${e.path})` : ""}`);
    }
  }
  // The load reads the library list when a plugin asks for filesystem access: give it an
  // empty, migrated database of its own (no server needed, nothing selected, so no mounts).
  const scratch = mkdtempSync(path.join(tmpdir(), "ndp-validate-"));
  try {
    migrateDatabase(path.join(scratch, "ndp.db"));
    configureDatabase(path.join(scratch, "ndp.db"));
    report.inspection = await inspectPackage(path.resolve(file), { engine: opts.engine, logLevel: "error", timeoutMs: 30_000, memoryLimitBytes: 256 * 1024 * 1024 });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  for (const e of report.inspection.errors) if (!report.errors.some((x) => x.includes(e))) report.errors.push(e);
  report.warnings.push(...(await compatWarnings(file)));
  report.ok = report.errors.length === 0;
  return report;
}

export function formatValidation(r: ValidationReport): string {
  const i = r.inspection;
  const lines = [`${path.basename(r.file)}: ${r.ok ? "valid" : "INVALID"}`];
  if (i?.manifest) lines.push(`  ${i.manifest.name} ${i.manifest.version} by ${i.manifest.author}`);
  if (i?.capabilities) lines.push(`  capabilities: ${i.capabilities.join(", ") || "none"}`);
  for (const e of r.errors) lines.push(`  error: ${e}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  for (const n of i?.notes ?? []) lines.push(`  before enabling: ${n}`);
  return lines.join("\n");
}
