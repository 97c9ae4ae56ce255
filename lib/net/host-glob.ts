/** gobwas/glob without separators: `*` any run, `?` one char, `[...]` classes, `{a,b}` alternatives. */
export function globToRegExp(pattern: string): RegExp {
  let re = "";
  let inClass = false;
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (inClass) {
      if (c === "]") inClass = false;
      re += c === "\\" ? "\\\\" : c;
      continue;
    }
    if (c === "\\" && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      inClass = true;
      re += pattern[i + 1] === "!" ? (i++, "[^") : "[";
    } else if (c === "{") {
      depth++;
      re += "(?:";
    } else if (c === "}" && depth > 0) {
      depth--;
      re += ")";
    } else if (c === "," && depth > 0) re += "|";
    else re += c.replace(/[.+^$()|\\/]/g, "\\$&");
  }
  try {
    return new RegExp(`^${re}$`, "s");
  } catch {
    return /$^/; // an invalid pattern matches nothing
  }
}

/**
 * Extism's `allowed_hosts` rule (contract §4.12): `hostname` equals a pattern or matches
 * it as a glob (`*` matches dots too). An empty list matches nothing. Navidrome's own
 * host patterns are ./host-patterns.
 */
export function isHostGlobAllowed(patterns: readonly string[], hostname: string): boolean {
  return patterns.some((p) => p === hostname || globToRegExp(p).test(hostname));
}
