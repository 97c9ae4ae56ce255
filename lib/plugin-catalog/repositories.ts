import "server-only";
import { isIP } from "node:net";
import {
  deletePluginRepositoryRow,
  deleteStaleConfigRepositoryRows,
  findPluginRepositoryRow,
  findPluginRepositoryRowByUrl,
  listPluginRepositoryRows,
  saveCatalogError,
  saveFetchedCatalog,
  upsertPluginRepositoryRow,
  type PluginRepositoryRecord,
} from "../db/plugin-repositories";
import { AppError } from "../errors";
import { log } from "../log";
import { isPublicAddress } from "../net/address";
import { remember } from "../server/remember";
import { settings } from "../server/settings";
import { fetchCatalogText, RepositoryFetchError } from "./fetch";
import { CatalogFormatError, parseCatalogText } from "./format";
import type { Catalog, RepositoryView } from "./types";

/**
 * Plugin repositories: catalog URLs from `Plugins.Repositories` (source "config", not
 * removable) plus those admins add (source "admin"), each with its cached catalog. A
 * refresh fetches every catalog independently: a broken or unreachable one keeps its last
 * good copy and shows its error, and never blocks the others.
 */

/** A repository with its cached, parsed catalog (null before the first good fetch). */
export interface CachedRepository {
  repository: RepositoryView;
  catalog: Catalog | null;
}

/** Called after every refresh (scheduled or on demand) with the repositories refreshed. */
export type CatalogRefreshListener = (repositories: RepositoryView[]) => void | Promise<void>;

const state = () =>
  remember("pluginCatalogRepositories", () => ({
    listeners: new Set<CatalogRefreshListener>(),
    /** Parsed catalogs by repository id, reused while the cached text is unchanged. */
    parsed: new Map<number, { text: string; catalog: Catalog | null }>(),
  }));

/**
 * Subscribes to catalog refreshes (the lifecycle's auto-update does); answers the
 * unsubscribe function. Listeners run after the new catalogs are stored; their errors are
 * logged and never fail the refresh.
 */
export function onCatalogRefreshed(listener: CatalogRefreshListener): () => void {
  state().listeners.add(listener);
  return () => state().listeners.delete(listener);
}

/** `https://Example.com/c.json` ⇒ `https://example.com/c.json`; anything but http(s) is refused. */
export function normalizeRepositoryUrl(input: string): string {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    throw new AppError("INVALID_INPUT", `not a URL: ${JSON.stringify(input)}`, { fields: { url: "must be an http or https URL" } });
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new AppError("INVALID_INPUT", "only http and https repositories are supported", { fields: { url: "must be an http or https URL" } });
  u.hash = "";
  return u.href;
}

function cachedCatalog(row: PluginRepositoryRecord): Catalog | null {
  if (row.catalog === null) return null;
  const memo = state().parsed.get(row.id);
  if (memo && memo.text === row.catalog) return memo.catalog;
  let catalog: Catalog | null = null;
  try {
    catalog = parseCatalogText(row.catalog);
  } catch (err) {
    log.warn({ repository: row.url, err: (err as Error).message }, "cached plugin catalog no longer parses");
  }
  state().parsed.set(row.id, { text: row.catalog, catalog });
  return catalog;
}

function toView(row: PluginRepositoryRecord): RepositoryView {
  return {
    id: row.id,
    url: row.url,
    name: row.name,
    source: row.source,
    lastFetchedAt: row.fetchedAt?.toISOString() ?? null,
    lastError: row.lastError,
    pluginCount: cachedCatalog(row)?.plugins.length ?? 0,
  };
}

/** Mirrors `Plugins.Repositories` into the table, so configured catalogs have ids and a cache too. */
async function syncConfigRepositories(): Promise<void> {
  const urls: string[] = [];
  for (const raw of settings().Plugins.Repositories) {
    try {
      urls.push(normalizeRepositoryUrl(raw));
    } catch (err) {
      log.warn({ url: raw, err: (err as Error).message }, "Plugins.Repositories: entry ignored");
    }
  }
  const current = await listPluginRepositoryRows();
  if (current.some((r) => r.source === "config" && !urls.includes(r.url))) await deleteStaleConfigRepositoryRows(urls);
  // Writes only when something changed: listing happens on every page view.
  for (const url of urls) if (!current.some((r) => r.url === url && r.source === "config")) await upsertPluginRepositoryRow(url, "config");
}

async function rows(): Promise<PluginRepositoryRecord[]> {
  await syncConfigRepositories();
  return listPluginRepositoryRows();
}

/** Every repository, configured ones included, with its cache state. */
export async function listRepositories(): Promise<RepositoryView[]> {
  return (await rows()).map(toView);
}

/** Every repository with its parsed cached catalog (browse reads this). */
export async function cachedRepositories(): Promise<CachedRepository[]> {
  return (await rows()).map((row) => ({ repository: toView(row), catalog: cachedCatalog(row) }));
}

/**
 * Adds an admin repository and fetches its catalog at once; a failed fetch is kept as the
 * repository's error (the admin sees it), not thrown.
 */
export async function addRepository(input: string): Promise<RepositoryView> {
  const url = normalizeRepositoryUrl(input);
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, "$1");
  const literalPrivate = host.toLowerCase() === "localhost" || (isIP(host) !== 0 && !isPublicAddress(host));
  if (literalPrivate && !settings().Plugins.AllowPrivateRepositories)
    throw new AppError("INVALID_INPUT", `${host} is a private or loopback address; set Plugins.AllowPrivateRepositories = true to use LAN repositories`, {
      fields: { url: "private or loopback address" },
    });
  await syncConfigRepositories();
  if (await findPluginRepositoryRowByUrl(url)) throw new AppError("CONFLICT", `repository ${url} is already listed`);
  const row = await upsertPluginRepositoryRow(url, "admin");
  const [view] = await refreshRepositories({ id: row.id });
  return view;
}

/** Removes an admin-added repository (configured ones are removed from the configuration). */
export async function removeRepository(id: number): Promise<void> {
  const row = await findPluginRepositoryRow(id);
  if (!row) throw new AppError("NOT_FOUND", `no plugin repository ${id}`);
  if (row.source === "config") throw new AppError("CONFLICT", `repository ${row.url} comes from Plugins.Repositories; remove it from the configuration`);
  await deletePluginRepositoryRow(id);
  state().parsed.delete(id);
}

async function refreshOne(row: PluginRepositoryRecord, now: Date): Promise<void> {
  try {
    const fetched = await fetchCatalogText(row.url, { etag: row.catalog !== null ? row.etag : null });
    if (fetched.status === "not-modified") {
      await saveFetchedCatalog(row.id, { catalog: row.catalog!, name: row.name ?? "", etag: row.etag, fetchedAt: now });
      return;
    }
    const catalog = parseCatalogText(fetched.text);
    await saveFetchedCatalog(row.id, { catalog: fetched.text, name: catalog.name, etag: fetched.etag, fetchedAt: now });
  } catch (err) {
    if (!(err instanceof RepositoryFetchError || err instanceof CatalogFormatError)) log.error({ repository: row.url, err }, "plugin catalog refresh failed");
    const message = err instanceof CatalogFormatError ? `invalid catalog: ${err.message}` : (err as Error).message;
    log.warn({ repository: row.url, err: message }, "plugin catalog not refreshed");
    await saveCatalogError(row.id, message);
  }
}

/**
 * Fetches the catalogs again (all, or repository `id`), each on its own: one failure is
 * recorded as that repository's `lastError` and the others still refresh. Then tells the
 * `onCatalogRefreshed` listeners.
 */
export async function refreshRepositories(opts: { id?: number; now?: Date } = {}): Promise<RepositoryView[]> {
  let targets = await rows();
  if (opts.id !== undefined) {
    targets = targets.filter((r) => r.id === opts.id);
    if (targets.length === 0) throw new AppError("NOT_FOUND", `no plugin repository ${opts.id}`);
  }
  const now = opts.now ?? new Date();
  await Promise.all(targets.map((row) => refreshOne(row, now)));
  const ids = new Set(targets.map((r) => r.id));
  const views = (await listPluginRepositoryRows()).filter((r) => ids.has(r.id)).map(toView);
  for (const listener of state().listeners) {
    try {
      await listener(views);
    } catch (err) {
      log.error({ err }, "plugin catalog refresh listener failed");
    }
  }
  return views;
}
