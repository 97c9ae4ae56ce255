import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CatalogFormatError, parseCatalog, versionsNewestFirst } from "@/lib/plugin-catalog/format";
import type { Catalog, CatalogPlugin, CatalogVersion } from "@/lib/plugin-catalog/types";
import { compareVersions, OLDEST_PLUGIN_API } from "@/lib/plugin-catalog/versions";
import { exportInfo, hostFunctionInfo } from "@/lib/plugins/compat/host-functions";
import { isUsablePluginId } from "@/lib/plugins/id";
import { inspectFile, type PackageReport } from "./inspect";
import { readPrivateKeyFile, signCatalog } from "./sign";

/**
 * `ndp catalog <folder>`: a plugin catalog (docs/plugin-catalog.md) built from the .ndp
 * packages under a folder, read the way the server reads them (id from the file name,
 * manifest, capabilities detected from the exports, the oldest Navidrome release whose
 * plugin API has every host function and export the package uses). An existing catalog
 * at `--out` is merged: versions not in the folder any more are kept, and what an author
 * edited by hand (release notes, published date, maxApi) survives a rebuild.
 */

export interface CatalogOptions {
  folder: string;
  out: string;
  baseUrl?: string;
  name?: string;
  keyFile?: string;
  now?: Date;
}

export interface CatalogResult {
  out: string;
  name: string;
  plugins: number;
  versions: number;
  added: { id: string; version: string }[];
  signed: number;
}

/** A catalog that cannot be built from this folder. */
export class CatalogBuildError extends Error {
  name = "CatalogBuildError";
}

function packagesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules") out.push(...packagesUnder(full));
    else if (e.isFile() && e.name.endsWith(".ndp")) out.push(full);
  }
  return out;
}

/** The newest release among those introducing the host functions and exports the package uses. */
function minApiOf(report: PackageReport): string {
  let min = OLDEST_PLUGIN_API;
  const releases = [
    ...report.imports.filter((i) => i.module === "extism:host/user").map((i) => hostFunctionInfo(i.name)?.introduced.release),
    ...report.exports.map((e) => exportInfo(e)?.introduced.release),
  ];
  for (const r of releases) if (r && compareVersions(r, min) > 0) min = r;
  return min;
}

/**
 * With `--base-url`, the packages' folder is published there; without, URLs are relative
 * to the catalog file (published with the same layout as on disk).
 */
function packageUrl(file: string, folder: string, opts: CatalogOptions): string {
  const rel = (from: string) => path.relative(from, file).split(path.sep).map(encodeURIComponent).join("/");
  return opts.baseUrl ? new URL(rel(folder), opts.baseUrl.endsWith("/") ? opts.baseUrl : `${opts.baseUrl}/`).href : rel(path.dirname(path.resolve(opts.out)));
}

async function versionEntry(file: string, opts: CatalogOptions, folder: string): Promise<{ plugin: Omit<CatalogPlugin, "versions">; version: CatalogVersion }> {
  let report: PackageReport;
  try {
    report = await inspectFile(file);
  } catch (err) {
    throw new CatalogBuildError(`${path.relative(folder, file)}: ${(err as Error).message}`);
  }
  const id = report.id!;
  if (!isUsablePluginId(id)) throw new CatalogBuildError(`${path.relative(folder, file)}: "${id}" cannot be a plugin id`);
  const bytes = readFileSync(file);
  const m = report.manifest;
  const perms = (m.permissions ?? {}) as Record<string, { requiredHosts?: string[]; filesystem?: boolean } | undefined>;
  const hosts = [...new Set([...(perms.http?.requiredHosts ?? []), ...(perms.websocket?.requiredHosts ?? [])])];
  const version: CatalogVersion = {
    version: m.version,
    url: packageUrl(file, folder, opts),
    sha256: createHash("sha256").update(bytes).digest("hex"),
    size: bytes.byteLength,
    published: (opts.now ?? new Date()).toISOString(),
    minApi: minApiOf(report),
    permissions: Object.keys(perms).filter((k) => perms[k] !== undefined),
    ...(hosts.length ? { hosts } : {}),
    libraryWrite: Boolean(perms.library?.filesystem),
    capabilities: [...report.capabilities],
  };
  const plugin = {
    id,
    name: m.name,
    ...(m.description ? { description: m.description } : {}),
    ...(m.author ? { author: m.author } : {}),
    ...(m.website ? { homepage: m.website } : {}),
  };
  return { plugin, version };
}

function readExisting(out: string): Catalog | null {
  if (!existsSync(out)) return null;
  try {
    return parseCatalog(JSON.parse(readFileSync(out, "utf8")));
  } catch (err) {
    const why = err instanceof CatalogFormatError ? err.message : (err as Error).message;
    throw new CatalogBuildError(`${out} exists but is not a catalog (${why}); move it away or pick another --out`);
  }
}

/** Builds (or updates) the catalog at `opts.out` from the packages under `opts.folder`. */
export async function buildCatalog(opts: CatalogOptions): Promise<CatalogResult> {
  const folder = path.resolve(opts.folder);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new CatalogBuildError(`${opts.folder} is not a folder`);
  const files = packagesUnder(folder);
  if (files.length === 0) throw new CatalogBuildError(`no .ndp packages under ${opts.folder}`);
  const existing = readExisting(opts.out);
  const plugins = new Map<string, CatalogPlugin>((existing?.plugins ?? []).map((p) => [p.id, { ...p, versions: [...p.versions] }]));
  const added: CatalogResult["added"] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const { plugin, version } = await versionEntry(file, opts, folder);
    const key = `${plugin.id}@${version.version}`;
    if (seen.has(key)) throw new CatalogBuildError(`${plugin.id} ${version.version} is in the folder twice (${path.relative(folder, file)})`);
    seen.add(key);
    const entry = plugins.get(plugin.id) ?? { ...plugin, versions: [] };
    const old = entry.versions.find((v) => v.version === version.version);
    // Hand edits survive; a changed package drops its old signature with the old hash.
    const kept = old ? { releaseNotes: old.releaseNotes, published: old.published, maxApi: old.maxApi, ...(old.sha256 === version.sha256 && old.signature ? { signature: old.signature } : {}) } : {};
    const merged = { ...version, ...Object.fromEntries(Object.entries(kept).filter(([, v]) => v !== undefined)) } as CatalogVersion;
    entry.versions = [...entry.versions.filter((v) => v !== old), merged];
    entry.versions = versionsNewestFirst(entry);
    // The plugin's own fields follow its newest version.
    if (entry.versions[0] === merged) Object.assign(entry, plugin);
    plugins.set(plugin.id, entry);
    if (!old || old.sha256 !== version.sha256) added.push({ id: plugin.id, version: version.version });
  }
  let catalog: Catalog = {
    schemaVersion: 1,
    name: opts.name ?? existing?.name ?? path.basename(folder),
    plugins: [...plugins.values()].sort((a, b) => a.id.localeCompare(b.id)),
    ...(existing?.publicKeys ? { publicKeys: existing.publicKeys } : {}),
  };
  let signed = 0;
  if (opts.keyFile) ({ catalog, signed } = signCatalog(catalog, readPrivateKeyFile(opts.keyFile)));
  parseCatalog(catalog);
  writeFileSync(opts.out, `${JSON.stringify(catalog, null, 2)}\n`);
  return { out: opts.out, name: catalog.name, plugins: catalog.plugins.length, versions: catalog.plugins.reduce((n, p) => n + p.versions.length, 0), added, signed };
}

export function formatCatalogResult(r: CatalogResult, cwd: string): string {
  return [
    `Wrote ${path.relative(cwd, r.out) || r.out}: "${r.name}", ${r.plugins} plugin(s), ${r.versions} version(s)${r.signed ? `, ${r.signed} signed` : ""}`,
    ...r.added.map((a) => `  + ${a.id} ${a.version}`),
  ].join("\n");
}
