/**
 * Navidrome's host allow-list patterns (contract §4.2, §4.7): `*` matches everything, an
 * exact string matches itself, and `*.example.com` matches any host ending in
 * `.example.com` (any depth, not the apex). Case-sensitive; no port patterns.
 */
export function matchesHostPattern(pattern: string, host: string): boolean {
  if (pattern === "*" || pattern === host) return true;
  return pattern.startsWith("*.") && host.endsWith(pattern.slice(1));
}

/** True when `host` matches one of `patterns`; an empty list matches nothing. */
export function isHostAllowed(patterns: readonly string[], host: string): boolean {
  return patterns.some((p) => matchesHostPattern(p, host));
}
