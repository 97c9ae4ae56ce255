import type { NextConfig } from "next";
import { ENDPOINT_PATH_PATTERNS, FORCED_ENDPOINT_HEADERS } from "./lib/endpoints/headers";

const nextConfig: NextConfig = {
  // Native and wasm-heavy packages stay outside the bundle; the plugin engine's worker
  // files are loaded from disk at run time (see lib/plugins/engine).
  serverExternalPackages: ["@prisma/adapter-better-sqlite3", "better-sqlite3", "pino"],
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "SAMEORIGIN" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          // Next.js needs inline scripts and styles (hydration data, Emotion), and the plugin config
          // editor compiles each plugin's JSON Schema with ajv (code generation, so 'unsafe-eval').
          // Everything is same-origin; no objects, no framing by other sites.
          {
            key: "Content-Security-Policy",
            value: "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'; object-src 'none'",
          },
        ],
      },
      // Plugin endpoints (HTTPEndpoint): Next.js keeps a header set here over the route handler's
      // own, so the sandboxing policy must be set here too, after (overriding) the app-wide one.
      ...ENDPOINT_PATH_PATTERNS.map((source) => ({ source, headers: Object.entries(FORCED_ENDPOINT_HEADERS).map(([key, value]) => ({ key, value })) })),
    ];
  },
};

export default nextConfig;
