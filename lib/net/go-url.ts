import { goQuote } from "../go-quote";

/**
 * Go's `url.Parse` view of a URL, as far as host checks need it: the scheme and the
 * `Host` exactly as written (case kept, port included). Navidrome's allow-list and error
 * texts quote this reading; the connection itself uses the WHATWG parse, and callers
 * check that both name the same host (`readsSameHost` in ./policy).
 */

const CONTROL = /[\x00-\x1f\x7f]/;

/** `invalid URL: parse "<raw>": <why>`, Go's `url.Error` text. */
export const goUrlError = (raw: string, why: string) => new Error(`invalid URL: parse ${goQuote(raw)}: ${why}`);

/** True when `raw` has a byte `url.Parse` refuses (`net/url: invalid control character in URL`). */
export const hasControlCharacter = (raw: string): boolean => CONTROL.test(raw);

/** The lower-cased scheme and what follows its `:`; null when `raw` has no scheme. */
export function splitScheme(raw: string): { scheme: string; rest: string } | null {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(raw);
  return m ? { scheme: m[1].toLowerCase(), rest: m[2] } : null;
}

/** The host of a scheme's `rest` (`//user@host:port/…`; "" without an authority), its port checked as Go checks it. */
export function authorityHost(raw: string, rest: string): string {
  const hierarchy = rest.split("#", 1)[0].split("?", 1)[0];
  if (!hierarchy.startsWith("//")) return "";
  const authority = hierarchy.slice(2).split("/", 1)[0];
  const host = authority.slice(authority.lastIndexOf("@") + 1);
  const port = /:([^:\]]*)$/.exec(host);
  if (port && !/^\d*$/.test(port[1])) throw goUrlError(raw, `invalid port ${goQuote(`:${port[1]}`)} after host`);
  return host;
}

/** Scheme (lower-cased) and host (`%XX` unescaped as Go does) of `raw`; both "" for a relative URL. */
export function parseGoUrl(raw: string): { scheme: string; host: string } {
  if (hasControlCharacter(raw)) throw goUrlError(raw, "net/url: invalid control character in URL");
  const split = splitScheme(raw);
  if (!split) {
    if (raw.startsWith(":")) throw goUrlError(raw, "missing protocol scheme");
    return { scheme: "", host: "" };
  }
  return { scheme: split.scheme, host: unescapeHost(raw, authorityHost(raw, split.rest)) };
}

/** Go's `net.SplitHostPort` host, else the string without IPv6 brackets (`[::1]:80` ⇒ `::1`). */
export function extractHostname(host: string): string {
  const m = /^\[([^\]]*)\]:[^:]*$/.exec(host) ?? /^([^:[\]]*):[^:]*$/.exec(host);
  if (m) return m[1];
  if (host.startsWith("[") && host.endsWith("]")) return host.slice(1, -1);
  return host;
}

/** Go unescapes a host's `%XX` but accepts only non-ASCII bytes and `%25` there. */
function unescapeHost(raw: string, host: string): string {
  if (!host.includes("%")) return host;
  for (const m of host.matchAll(/%(.{0,2})/g)) {
    if (!/^[0-9A-Fa-f]{2}$/.test(m[1]) || (parseInt(m[1], 16) < 0x80 && m[1] !== "25")) throw goUrlError(raw, `invalid URL escape ${goQuote(m[0])}`);
  }
  try {
    return decodeURIComponent(host);
  } catch {
    throw goUrlError(raw, "invalid URL escape");
  }
}
