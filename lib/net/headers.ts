const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** True when `s` is an HTTP token (RFC 9110 `tchar`s): a valid header name or method. */
export function isHttpToken(s: string): boolean {
  return TOKEN.test(s);
}

/**
 * Go's `CanonicalMIMEHeaderKey`: `content-type` ⇒ `Content-Type`, `X-API-KEY` ⇒ `X-Api-Key`.
 * Keys that are not tokens stay as they are, as Go leaves them.
 */
export function canonicalHeaderKey(key: string): string {
  if (!TOKEN.test(key)) return key;
  return key.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}
