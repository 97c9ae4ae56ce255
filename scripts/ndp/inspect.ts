import { statSync } from "node:fs";
import path from "node:path";
import { CAPABILITY_EXPORTS, detectCapabilities, type Capability } from "@/lib/plugins/capabilities/registry";
import { pluginIdFromFileName } from "@/lib/plugins/id";
import { summarizePermissions, type PermissionSummary } from "@/lib/plugin-admin/permissions";
import type { Manifest } from "@/lib/plugins/manifest/types";
import { openPackage } from "@/lib/plugins/package";
import { permissionForHostFunction } from "./host-functions";

/** One import of the module and whether the manifest lets the server provide it. */
export interface ImportView {
  module: string;
  name: string;
  /** For host services: the permission that grants it ("config": none needed). */
  permission?: string;
  /** False when loading will fail because of it (contract §1.7 rule 10). */
  available: boolean;
  note?: string;
}

export interface PackageReport {
  file: string;
  id: string | null;
  manifest: Manifest;
  sizes: { package: number; wasm: number; manifest: number };
  /** Capability exports and any other exported functions (the runtime's helpers left out). */
  exports: string[];
  imports: ImportView[];
  capabilities: Capability[];
  permissions: PermissionSummary[];
  /** Wasm memory as declared by the module: initial and maximum 64 KiB pages (null: no maximum). */
  memory: { initialPages: number; maximumPages: number | null } | null;
}

const CAPABILITY_EXPORT_NAMES = new Set(Object.values(CAPABILITY_EXPORTS).flat());
const RUNTIME_EXPORTS = new Set(["__new", "__pin", "__unpin", "__collect", "__rtti_base", "memory", "_initialize", "__wasm_call_ctors"]);

function describeImport(imp: WebAssembly.ModuleImportDescriptor, manifest: Manifest): ImportView {
  const view: ImportView = { module: imp.module, name: imp.name, available: true };
  if (imp.module !== "extism:host/user") return view;
  const permission = permissionForHostFunction(imp.name);
  if (permission === null) return { ...view, available: false, note: "no such host function" };
  view.permission = permission;
  const granted = permission === "config" || Boolean((manifest.permissions as Record<string, unknown> | undefined)?.[permission]);
  return granted ? view : { ...view, available: false, note: `needs the '${permission}' permission` };
}

/** Memory limits the module declares in its memory section (null when it has none). */
function memoryOf(wasm: Uint8Array): PackageReport["memory"] {
  // Sections after the 8-byte header: id, LEB128 size. Memory (id 5): count, flags, initial[, maximum].
  let at = 8;
  const leb = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = wasm[at++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) return result;
    }
  };
  while (at < wasm.length) {
    const id = wasm[at++];
    const size = leb();
    if (id === 5) {
      leb();
      const flags = leb();
      const initialPages = leb();
      return { initialPages, maximumPages: flags & 1 ? leb() : null };
    }
    at += size;
  }
  return null;
}

/** `ndp inspect`: what is inside a package, read statically (nothing is run). */
export async function inspectFile(file: string): Promise<PackageReport> {
  const pkg = await openPackage(file);
  const module = new WebAssembly.Module(new Uint8Array(pkg.wasm));
  const exportNames = WebAssembly.Module.exports(module)
    .filter((e) => e.kind === "function")
    .map((e) => e.name);
  return {
    file,
    id: pluginIdFromFileName(file),
    manifest: pkg.manifest,
    sizes: { package: statSync(file).size, wasm: pkg.wasm.byteLength, manifest: pkg.manifestBytes.byteLength },
    exports: exportNames.filter((n) => CAPABILITY_EXPORT_NAMES.has(n) || !RUNTIME_EXPORTS.has(n)),
    imports: WebAssembly.Module.imports(module).map((imp) => describeImport(imp, pkg.manifest)),
    capabilities: detectCapabilities(exportNames),
    permissions: summarizePermissions(pkg.manifest),
    memory: memoryOf(pkg.wasm),
  };
}

const kib = (n: number) => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`);

export function formatReport(r: PackageReport): string {
  const lines = [
    `${path.basename(r.file)}: ${r.manifest.name} ${r.manifest.version} by ${r.manifest.author}${r.id ? ` (plugin id ${r.id})` : ""}`,
    ...(r.manifest.description ? [`  ${r.manifest.description}`] : []),
    `Size: package ${kib(r.sizes.package)}, plugin.wasm ${kib(r.sizes.wasm)}, manifest.json ${kib(r.sizes.manifest)}`,
    ...(r.memory ? [`Memory: ${r.memory.initialPages} pages initially (64 KiB each), ${r.memory.maximumPages === null ? "no maximum" : `at most ${r.memory.maximumPages}`}`] : []),
    `Capabilities: ${r.capabilities.length ? r.capabilities.join(", ") : "none (no capability export found)"}`,
    "Exports:",
    ...r.exports.map((e) => `  ${e}${CAPABILITY_EXPORT_NAMES.has(e) ? "" : "   (custom)"}`),
    "Permissions:",
    ...(r.permissions.length ? r.permissions.map((p) => `  ${p.key}${p.reason ? `: ${p.reason}` : ""}${p.details.length ? ` [${p.details.join("; ")}]` : ""}`) : ["  none"]),
    "Imports:",
  ];
  const byModule = new Map<string, ImportView[]>();
  for (const imp of r.imports) byModule.set(imp.module, [...(byModule.get(imp.module) ?? []), imp]);
  for (const [module, list] of byModule) {
    lines.push(`  ${module}:`);
    for (const imp of list) lines.push(`    ${imp.name}${imp.permission && imp.permission !== "config" ? ` (${imp.permission})` : ""}${imp.available ? "" : `   ✗ ${imp.note}`}`);
  }
  return lines.join("\n");
}
