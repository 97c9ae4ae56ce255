import { isIP } from "node:net";
import { goQuote } from "../go-quote";
import { ipBytes, isPublicAddress } from "./address";
import { extractHostname } from "./go-url";
import { isHostAllowed } from "./host-patterns";
import { addressGranted } from "./policy";

/**
 * Who the Go-compatible HTTP client (./http-client) may reach: Navidrome's `http_send`
 * allow-list (contract §4.2, §9 item 10), plus Tessitura's additions: every non-public
 * literal is refused without a list (not only Go's private ranges), the address a request
 * connects to (literal or DNS answer) must be public or listed itself (`addressGranted`,
 * shared by every outbound path), and operators can pin host names to local addresses
 * (./host-overrides) after the allow-list.
 */

/**
 * What a private-address refusal says after `is not allowed: `. Callers with their own
 * grant wording pass theirs (the plugin host names the manifest's `requiredHosts`).
 */
export const DEFAULT_PRIVATE_HINT = "private/loopback addresses require an explicit allow-list entry";

/** A refusal by the allow-list or the private-address rules. */
export class HostNotAllowedError extends Error {
  name = "HostNotAllowedError";
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
 * which reach the local host; Tessitura refuses every non-public literal.
 */
function isPrivateOrLoopback(hostname: string): boolean {
  return hostname.toLowerCase() === "localhost" || (isIP(hostname) !== 0 && !isPublicAddress(hostname));
}

/**
 * Navidrome's `validateHost` on a URL's host (port included, as the error quotes it):
 * with `requiredHosts`, one pattern must match the hostname; without, localhost and
 * private IP literals are refused.
 */
export function checkHost(host: string, requiredHosts: readonly string[], privateHint = DEFAULT_PRIVATE_HINT): void {
  const hostname = extractHostname(host);
  if (requiredHosts.length > 0) {
    if (!isHostAllowed(requiredHosts, hostname)) throw new HostNotAllowedError(`host ${goQuote(host)} is not allowed`);
    return;
  }
  if (isPrivateOrLoopback(hostname)) throw new HostNotAllowedError(`host ${goQuote(host)} is not allowed: ${privateHint}`);
}

/**
 * The address rule (`addressGranted`), applied to the address a request is about to use
 * (the URL's literal, or each DNS answer): public addresses pass; others only when
 * `requiredHosts` names that address itself (`127.0.0.1`, `*`…). So neither a public name
 * pointing at the LAN nor a *listed* name that resolves (or rebinds) there reaches it;
 * listing the IP literal does.
 */
export function checkResolvedAddress(host: string, address: string, requiredHosts: readonly string[], privateHint = DEFAULT_PRIVATE_HINT): void {
  if (!addressGranted(address, requiredHosts.length > 0 ? (h) => isHostAllowed(requiredHosts, h) : null))
    throw new HostNotAllowedError(`host ${goQuote(host)} is not allowed: it resolves to ${address}; ${privateHint}`);
}
