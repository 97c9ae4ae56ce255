import "server-only";
import { listPlugins } from "../db/plugins";
import { log } from "../log";
import { remember } from "../server/remember";
import { settings } from "../server/settings";
import { versionsNewestFirst } from "./format";
import { cachedRepositories, type CachedRepository } from "./repositories";
import { parseTrustedKeys, signatureStatus, type PublicKeyEntry } from "./signature";
import type { Catalog, CatalogPlugin, CatalogPluginView, CatalogVersionView, ResolvedVersion } from "./types";
import { apiCompatibility, compareVersions } from "./versions";

/**
 * Browsing the cached catalogs: every plugin of every repository, each version with its
 * compatibility and signature status, merged with what is installed here.
 */

const keyCache = () => remember("pluginCatalogTrustedKeys", () => ({ source: null as string | null, keys: [] as PublicKeyEntry[] }));

/** The keys of `Plugins.TrustedKeys`; a key that does not parse is logged once and ignored. */
export function trustedKeys(): PublicKeyEntry[] {
  const texts = settings().Plugins.TrustedKeys;
  const cache = keyCache();
  const source = JSON.stringify(texts);
  if (cache.source !== source) {
    cache.keys = parseTrustedKeys(texts, (text, err) => log.warn({ key: text.slice(0, 60), err: err.message }, "Plugins.TrustedKeys: key ignored"));
    cache.source = source;
  }
  return cache.keys;
}

/** A catalog version as this server sees it. */
export function viewVersion(catalog: Catalog, plugin: CatalogPlugin, v: CatalogPlugin["versions"][number], keys: readonly PublicKeyEntry[] = trustedKeys()): CatalogVersionView {
  return { ...v, ...apiCompatibility(v), signatureStatus: signatureStatus(plugin.id, v, catalog.publicKeys, keys) };
}

/** Installed plugin id → manifest version. */
async function installedVersions(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const p of await listPlugins()) {
    try {
      out.set(p.id, String((JSON.parse(p.manifest) as { version?: unknown }).version ?? ""));
    } catch {
      out.set(p.id, "");
    }
  }
  return out;
}

function pluginView(entry: CachedRepository & { catalog: Catalog }, plugin: CatalogPlugin, installed: Map<string, string>, keys: readonly PublicKeyEntry[]): CatalogPluginView {
  const versions = versionsNewestFirst(plugin).map((v) => viewVersion(entry.catalog, plugin, v, keys));
  const latest = versions.find((v) => v.compatible) ?? null;
  const installedVersion = installed.get(plugin.id);
  const { id, url, name } = entry.repository;
  return {
    id: plugin.id,
    name: plugin.name,
    ...(plugin.description !== undefined ? { description: plugin.description } : {}),
    ...(plugin.author !== undefined ? { author: plugin.author } : {}),
    ...(plugin.homepage !== undefined ? { homepage: plugin.homepage } : {}),
    repository: { id, url, name },
    latest,
    versions,
    installed: installedVersion === undefined ? null : { version: installedVersion },
    updateAvailable: installedVersion !== undefined && latest && compareVersions(latest.version, installedVersion) > 0 ? latest.version : null,
  };
}

function matches(p: CatalogPluginView, filter: { q?: string; capability?: string }): boolean {
  const q = filter.q?.trim().toLowerCase();
  if (q && ![p.id, p.name, p.description ?? "", p.author ?? ""].some((t) => t.toLowerCase().includes(q))) return false;
  const cap = filter.capability?.trim().toLowerCase();
  if (cap && !(p.latest ?? p.versions[0])?.capabilities?.some((c) => c.toLowerCase() === cap)) return false;
  return true;
}

/**
 * Every plugin of every cached catalog (one entry per repository that lists it), sorted
 * by name, filtered by text (`q`: id, name, description, author) and capability (of the
 * newest compatible version, else the newest).
 */
export async function listCatalogPlugins(filter: { q?: string; capability?: string } = {}): Promise<CatalogPluginView[]> {
  const [repos, installed] = await Promise.all([cachedRepositories(), installedVersions()]);
  const keys = trustedKeys();
  const out: CatalogPluginView[] = [];
  for (const entry of repos) {
    if (!entry.catalog) continue;
    for (const plugin of entry.catalog.plugins) out.push(pluginView(entry as CachedRepository & { catalog: Catalog }, plugin, installed, keys));
  }
  return out.filter((p) => matches(p, filter)).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id) || a.repository.id - b.repository.id);
}

/**
 * A version of a plugin, from any repository: `version` given, that version (compatible or
 * not: the caller decides, with `compatibilityNote` to say why); omitted, the newest
 * compatible version over all repositories (the first repository wins a tie). Null when
 * no catalog has it. `packageUrl` is absolute (relative URLs resolve against the catalog's).
 * `opts.repositoryId` looks in that repository only (install from a chosen catalog; an
 * update that must come from where the plugin came from).
 */
export async function findCatalogVersion(pluginId: string, version?: string, opts: { repositoryId?: number } = {}): Promise<ResolvedVersion | null> {
  const keys = trustedKeys();
  let best: ResolvedVersion | null = null;
  for (const entry of await cachedRepositories()) {
    if (opts.repositoryId !== undefined && entry.repository.id !== opts.repositoryId) continue;
    const plugin = entry.catalog?.plugins.find((p) => p.id === pluginId);
    if (!entry.catalog || !plugin) continue;
    for (const v of versionsNewestFirst(plugin)) {
      const view = viewVersion(entry.catalog, plugin, v, keys);
      const wanted = version !== undefined ? v.version.replace(/^v/i, "") === version.replace(/^v/i, "") : view.compatible;
      if (!wanted) continue;
      if (version !== undefined) return resolved(entry, plugin, view);
      if (!best || compareVersions(view.version, best.version.version) > 0) best = resolved(entry, plugin, view);
      break;
    }
  }
  return best;
}

function resolved(entry: CachedRepository, plugin: CatalogPlugin, version: CatalogVersionView): ResolvedVersion {
  return { plugin, version, repository: entry.repository, packageUrl: new URL(version.url, entry.repository.url).href };
}
