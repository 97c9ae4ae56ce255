import "server-only";
import { log } from "../log";
import { HOST_OVERRIDES_ENV, parseHostOverrides } from "../net/host-overrides";
import { HttpSendClient } from "../net/http-client";
import { remember } from "../server/remember";
import { settings } from "../server/settings";

/**
 * Outbound fetches of catalogs (and, for the lifecycle, packages) with the server's
 * SSRF-safe client (lib/net): every hop, redirect and DNS answer is checked, so loopback
 * and private addresses are refused unless `Plugins.AllowPrivateRepositories` is on.
 */

/** Largest catalog accepted. */
export const CATALOG_MAX_BYTES = 1024 * 1024;
/** Whole-fetch time limit for a catalog. */
export const CATALOG_TIMEOUT_MS = 15_000;

/** A fetch that did not produce a usable response; the message is shown as the repository's error. */
export class RepositoryFetchError extends Error {
  name = "RepositoryFetchError";
}

// One client per policy: the allow-list is fixed at construction.
const clients = () => remember("pluginRepositoryClients", () => new Map<boolean, HttpSendClient>());

/** The SSRF-safe client for repository hosts: public addresses only, or anything when private repositories are allowed. */
export function repositoryHttpClient(allowPrivate: boolean = settings().Plugins.AllowPrivateRepositories): HttpSendClient {
  let client = clients().get(allowPrivate);
  if (!client) {
    client = new HttpSendClient({
      // "*" names every address too (lib/net/policy addressGranted), which is what the option means.
      requiredHosts: allowPrivate ? ["*"] : [],
      overrides: parseHostOverrides(process.env[HOST_OVERRIDES_ENV]),
      warn: (message, fields) => log.warn(fields, `plugin repository: ${message}`),
      privateHint: "private/loopback addresses need Plugins.AllowPrivateRepositories = true",
    });
    clients().set(allowPrivate, client);
  }
  return client;
}

/** Only http(s) URLs are repositories or packages. */
export function assertHttpUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RepositoryFetchError(`not a URL: ${JSON.stringify(url)}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new RepositoryFetchError(`only http and https URLs are supported, not ${u.protocol}`);
  return u;
}

export type CatalogFetch = { status: "ok"; text: string; etag: string | null } | { status: "not-modified" };

/** GETs a catalog (up to CATALOG_MAX_BYTES); `etag` asks for a 304 when nothing changed. */
export async function fetchCatalogText(url: string, opts: { etag?: string | null; allowPrivate?: boolean; timeoutMs?: number } = {}): Promise<CatalogFetch> {
  assertHttpUrl(url);
  const timeoutMs = opts.timeoutMs ?? CATALOG_TIMEOUT_MS;
  let res;
  try {
    res = await repositoryHttpClient(opts.allowPrivate).send(
      { method: "GET", url, headers: { Accept: "application/json", ...(opts.etag ? { "If-None-Match": opts.etag } : {}) }, noFollowRedirects: false, body: undefined, timeoutMs },
      AbortSignal.timeout(timeoutMs),
    );
  } catch (err) {
    throw new RepositoryFetchError((err as Error).message);
  }
  if (res.statusCode === 304 && opts.etag) return { status: "not-modified" };
  if (res.statusCode !== 200) throw new RepositoryFetchError(`HTTP ${res.statusCode} from ${url}`);
  // The client cuts bodies at 10 MiB; anything over our own cap is refused rather than cut.
  if (res.body.byteLength > CATALOG_MAX_BYTES) throw new RepositoryFetchError(`catalog is larger than ${CATALOG_MAX_BYTES / 1024 / 1024} MiB`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(res.body);
  } catch {
    throw new RepositoryFetchError("catalog is not UTF-8 text");
  }
  // Header names come in Go's canonical spelling: "Etag".
  return { status: "ok", text, etag: res.headers.Etag ?? null };
}
