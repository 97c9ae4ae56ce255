import { canonicalIp, isPublicAddress } from "./address";

/** Whether a grant's patterns admit a host, in the path's own pattern language (Navidrome's or Extism's globs). */
export type HostMatcher = (host: string) => boolean;

/**
 * The address rule every plugin network path applies to the address it is about to
 * connect to (an IP literal from the URL, or each DNS answer for a name): a public
 * address is always fine; any other (loopback, private, link-local, `0.0.0.0`…) only
 * when the grant names that very address, i.e. its patterns match the address's
 * canonical spelling (`127.0.0.1` listed, or `127.0.0.*`, or `*`). A host *name* in a
 * grant never admits a private address, so a granted name that resolves (or rebinds) to
 * the local network is refused. `matches` null: no grant (public addresses only).
 */
export function addressGranted(address: string, matches: HostMatcher | null): boolean {
  if (isPublicAddress(address)) return true;
  const canonical = canonicalIp(address);
  return canonical !== null && matches !== null && matches(canonical);
}

/** A URL's hostname without IPv6 brackets (`[::1]` ⇒ `::1`), as sockets and allow-lists take it. */
export function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/**
 * True when the WHATWG reading of a URL (`url`, what the connection will use) names the
 * same host as another reading of it (`hostname`, bare, e.g. Go's split that Navidrome's
 * allow-list wording quotes). Parsers disagree on `\`, `@` and friends
 * (`ws://127.0.0.1:1\@example.com/` is example.com to one, 127.0.0.1 to the other), so a
 * host checked in one reading may only be used when both agree. Case, IDNA and IP
 * spellings are normalised first; those name the same place.
 */
export function readsSameHost(url: URL, hostname: string): boolean {
  try {
    return new URL(`http://${hostname.includes(":") ? `[${hostname}]` : hostname}/`).hostname === url.hostname;
  } catch {
    return false;
  }
}
