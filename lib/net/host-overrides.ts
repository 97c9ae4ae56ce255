import { isIP } from "node:net";

/** Operator setting: `name=address[:port],…` pins host names after the allow-list (docs/operators.md). */
export const HOST_OVERRIDES_ENV = "TESSITURA_HTTP_HOST_OVERRIDES";

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
