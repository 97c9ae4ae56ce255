/**
 * Headers forced on every plugin endpoint response. Kept free of server-only imports:
 * next.config.ts uses them too, because Next.js drops a route handler's header when its
 * `headers()` config already set the same name (so the app-wide CSP, which allows inline
 * scripts, would otherwise replace ours).
 */

/**
 * Navidrome's policy (PR #5045): plugin HTML may style itself and show data: images, but
 * runs no script, loads nothing, and gets an opaque origin (`sandbox`).
 */
export const ENDPOINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

/** Forced headers, overwriting anything the plugin set. `Referrer-Policy` is our addition (URLs may carry Subsonic credentials). */
export const FORCED_ENDPOINT_HEADERS: Record<string, string> = {
  "Content-Security-Policy": ENDPOINT_CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

/** Path patterns (Next.js `headers()` syntax) of both mounts. */
export const ENDPOINT_PATH_PATTERNS = ["/ext/:path*", "/rest/ext/:path*"];
