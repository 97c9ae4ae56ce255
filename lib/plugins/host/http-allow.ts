import { isIP } from "node:net";
import { ipBytes, isPublicAddress } from "../../net/address";
import { addressGranted } from "../../net/policy";
import { goQuote } from "./go-quote";
import { isHostAllowed } from "./host-patterns";

/**
 * Who `http_send` may reach (contract §4.2, §9 item 10), plus Tessitura's additions:
 * every non-public literal is refused without a list (not only Go's private ranges),
 * the address a request connects to (literal or DNS answer) must be public or listed
 * itself (lib/net's rule, shared by every plugin network path), and operators can pin
 * host names to local addresses (`TESSITURA_HTTP_HOST_OVERRIDES`) after the allow-list.
 */

/** Refused when the manifest lists no hosts; Navidrome's wording. */
const PRIVATE_SUFFIX = "private/loopback addresses require explicit requiredHosts in manifest";

/** A refusal by the allow-list or the private-address rules. */
export class HostNotAllowedError extends Error {
  name = "HostNotAllowedError";
}

/** Go's `net.SplitHostPort` host, else the string without IPv6 brackets (`[::1]:80` → `::1`). */
export function extractHostname(host: string): string {
  const m = /^\[([^\]]*)\]:[^:]*$/.exec(host) ?? /^([^:[\]]*):[^:]*$/.exec(host);
  if (m) return m[1];
  if (host.startsWith("[") && host.endsWith("]")) return host.slice(1, -1);
  return host;
}

/**
 * Go's `IsLoopback || IsPrivate || IsLinkLocalUnicast || IsLinkLocalMulticast` for an IP
 * literal (IPv4-mapped IPv6 counts as its IPv4 address); false for anything else.
 * `0.0.0.0` and `::` are not blocked, as in Navidrome.
 */
export function isPrivateAddress(ip: string): boolean {
  let b = ipBytes(ip.split("%", 1)[0]);
  if (!b) return false;
  if (b.length === 16) {
    const mapped = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
    if (!mapped) {
      const loopback = b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
      return loopback || (b[0] & 0xfe) === 0xfc || (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) || (b[0] === 0xff && (b[1] & 0x0f) === 0x02);
    }
    b = b.slice(12);
  }
  const [x, y, z] = b;
  return x === 127 || x === 10 || (x === 172 && (y & 0xf0) === 16) || (x === 192 && y === 168) || (x === 169 && y === 254) || (x === 224 && y === 0 && z === 0);
}

/**
 * Navidrome's literal check, widened: the name `localhost` (any case) or an IP literal
 * that is not public. Navidrome lets `0.0.0.0`, `::` and IPv4-compatible forms through,
 * which reach the local host; Tessitura refuses every non-public literal (lib/net).
 */
function isPrivateOrLoopback(hostname: string): boolean {
  return hostname.toLowerCase() === "localhost" || (isIP(hostname) !== 0 && !isPublicAddress(hostname));
}

/**
 * Navidrome's `validateHost` on a URL's host (port included, as the error quotes it):
 * with `requiredHosts`, one pattern must match the hostname; without, localhost and
 * private IP literals are refused.
 */
export function checkHost(host: string, requiredHosts: readonly string[]): void {
  const hostname = extractHostname(host);
  if (requiredHosts.length > 0) {
    if (!isHostAllowed(requiredHosts, hostname)) throw new HostNotAllowedError(`host ${goQuote(host)} is not allowed`);
    return;
  }
  if (isPrivateOrLoopback(hostname)) throw new HostNotAllowedError(`host ${goQuote(host)} is not allowed: ${PRIVATE_SUFFIX}`);
}

/**
 * Tessitura's address rule (lib/net `addressGranted`), applied to the address a request
 * is about to use (the URL's literal, or each DNS answer): public addresses pass; others
 * only when `requiredHosts` names that address itself (`127.0.0.1`, `*`…). So neither a
 * public name pointing at the LAN nor a *listed* name that resolves (or rebinds) there
 * reaches it; listing the IP literal does.
 */
export function checkResolvedAddress(host: string, address: string, requiredHosts: readonly string[]): void {
  if (!addressGranted(address, requiredHosts.length > 0 ? (h) => isHostAllowed(requiredHosts, h) : null))
    throw new HostNotAllowedError(`host ${goQuote(host)} is not allowed: it resolves to ${address}; ${PRIVATE_SUFFIX}`);
}

/** Where an operator pinned a host name: address, and port when given. */
export interface HostOverride {
  address: string;
  port?: number;
}

/**
 * Parses `TESSITURA_HTTP_HOST_OVERRIDES`: comma-separated `name=address[:port]` entries
 * (IPv6 as `[addr]:port`), e.g. `api.example.com=127.0.0.1:8080`. Names match
 * case-insensitively; the address must be an IP literal.
 */
export function parseHostOverrides(text: string | undefined): Map<string, HostOverride> {
  const out = new Map<string, HostOverride>();
  for (const entry of (text ?? "").split(",").map((e) => e.trim())) {
    if (entry === "") continue;
    const m = /^([^=\s]+)=(?:\[([^\]]+)\]|([^:\s]+))(?::(\d{1,5}))?$/.exec(entry);
    const address = m?.[2] ?? m?.[3];
    const port = m?.[4] === undefined ? undefined : Number(m[4]);
    if (!m || !address || !isIP(address) || (port !== undefined && (port < 1 || port > 65535)))
      throw new Error(`invalid TESSITURA_HTTP_HOST_OVERRIDES entry ${JSON.stringify(entry)}: expected name=address[:port]`);
    out.set(m[1].toLowerCase(), { address, port });
  }
  return out;
}

/**
 * Go's `url.Parse` view of a URL as far as the allow-list needs it: the lower-cased
 * scheme and the host exactly as written (case kept, port included). The connection
 * itself uses the WHATWG parse, which the caller checks against this host.
 */
export function parseGoUrl(raw: string): { scheme: string; host: string } {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new Error(`invalid URL: parse ${goQuote(raw)}: net/url: invalid control character in URL`);
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(raw);
  if (!m) {
    if (raw.startsWith(":")) throw new Error(`invalid URL: parse ${goQuote(raw)}: missing protocol scheme`);
    return { scheme: "", host: "" };
  }
  const scheme = m[1].toLowerCase();
  let host = "";
  const rest = m[2].split("#", 1)[0].split("?", 1)[0];
  if (rest.startsWith("//")) {
    const authority = rest.slice(2).split("/", 1)[0];
    host = authority.slice(authority.lastIndexOf("@") + 1);
    const port = /:([^:\]]*)$/.exec(host);
    if (port && !/^\d*$/.test(port[1])) throw new Error(`invalid URL: parse ${goQuote(raw)}: invalid port ${goQuote(`:${port[1]}`)} after host`);
    host = unescapeHost(raw, host);
  }
  return { scheme, host };
}

/** Go unescapes a host's `%XX` but accepts only non-ASCII bytes and `%25` there. */
function unescapeHost(raw: string, host: string): string {
  if (!host.includes("%")) return host;
  for (const m of host.matchAll(/%(.{0,2})/g)) {
    if (!/^[0-9A-Fa-f]{2}$/.test(m[1]) || (parseInt(m[1], 16) < 0x80 && m[1] !== "25"))
      throw new Error(`invalid URL: parse ${goQuote(raw)}: invalid URL escape ${goQuote(m[0])}`);
  }
  try {
    return decodeURIComponent(host);
  } catch {
    throw new Error(`invalid URL: parse ${goQuote(raw)}: invalid URL escape`);
  }
}
