/**
 * Headers every response of the app carries, pages and APIs alike. Kept free of server-only
 * imports: next.config.ts sets them on what Next.js serves, and the fast path of
 * scripts/server.mjs (lib/http/fast-path.ts) on the Subsonic API it serves without Next.js.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "SAMEORIGIN",
  "Referrer-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "Cross-Origin-Opener-Policy": "same-origin",
  // Next.js needs inline scripts and styles (hydration data, Emotion), and the plugin config
  // editor compiles each plugin's JSON Schema with ajv (code generation, so 'unsafe-eval').
  // Everything is same-origin; no objects, no framing by other sites.
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'; object-src 'none'",
};
