import type { NextConfig } from "next";
import { ENDPOINT_PATH_PATTERNS, FORCED_ENDPOINT_HEADERS } from "./lib/endpoints/headers";
import { SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // Native and wasm-heavy packages stay outside the bundle; the plugin engine's worker
  // files are loaded from disk at run time (see lib/plugins/engine).
  serverExternalPackages: ["@prisma/adapter-better-sqlite3", "better-sqlite3", "pino"],
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: Object.entries(SECURITY_HEADERS).map(([key, value]) => ({ key, value })),
      },
      // Plugin endpoints (HTTPEndpoint): Next.js keeps a header set here over the route handler's
      // own, so the sandboxing policy must be set here too, after (overriding) the app-wide one.
      ...ENDPOINT_PATH_PATTERNS.map((source) => ({ source, headers: Object.entries(FORCED_ENDPOINT_HEADERS).map(([key, value]) => ({ key, value })) })),
    ];
  },
};

export default nextConfig;
