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

/**
 * Request headers never passed to a plugin: our session credentials (cookie, `x-nd-authorization`),
 * the custom server's internal peer stamp (`x-tessitura-peer`) and `Host`.
 */
export const WITHHELD_REQUEST_HEADERS: ReadonlySet<string> = new Set(["cookie", "x-nd-authorization", "x-tessitura-peer", "host"]);

/** Subsonic credentials removed from what a `subsonic` endpoint sees (`u` stays: it names the caller). */
export const WITHHELD_SUBSONIC_PARAMS: readonly string[] = ["p", "t", "s", "apiKey", "jwt"];

/**
 * Plugin response headers dropped: cookies (a plugin on our origin could overwrite the
 * session cookie), framing the server computes, and credentialed CORS.
 */
export const DROPPED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  "set-cookie",
  "set-cookie2",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "trailer",
  "access-control-allow-credentials",
]);
