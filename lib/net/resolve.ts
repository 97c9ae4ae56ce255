import dns from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { canonicalIp } from "./address";

/** Resolves a host name to its addresses (all of them); injectable so tests never touch real DNS. */
export type Lookup = (hostname: string) => Promise<string[]>;

/** The system resolver (`getaddrinfo`), every answer in the resolver's order. */
export const systemLookup: Lookup = async (hostname) => (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** Refused because an address the host stands for is outside the grant. */
export class AddressNotAllowedError extends Error {
  name = "AddressNotAllowedError";
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(`${hostname} resolves to ${address}, which is not allowed`);
  }
}

/**
 * The one address to connect to for `hostname` (bare, as `bareHostname` gives it): an IP
 * literal is itself; a name is resolved once, every answer must pass `allowed` (one bad
 * answer refuses the host, so round-robin cannot smuggle a private address in) and the
 * first answer is used. Callers then connect to exactly this address (see
 * `pinnedLookup`), so a DNS answer that changes between check and connect has no effect.
 */
export async function resolveAllowedAddress(hostname: string, lookup: Lookup, allowed: (address: string) => boolean): Promise<string> {
  const literal = isIP(hostname) ? canonicalIp(hostname) ?? hostname : null;
  const addresses = literal !== null ? [literal] : await lookup(hostname);
  if (addresses.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname });
  for (const address of addresses) if (!allowed(address)) throw new AddressNotAllowedError(hostname, address);
  return addresses[0];
}

/**
 * A `lookup` for `net`/`tls`/`http`/`ws` options that answers `address` and nothing else:
 * the socket goes to the address that was checked, while the URL's name still serves
 * for SNI, certificate checks and the `Host` header.
 */
export function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address);
  return ((_hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    if (typeof options === "function") callback = options;
    if (typeof options === "object" && options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}
