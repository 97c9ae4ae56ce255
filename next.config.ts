import type { NextConfig } from "next";

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
        ],
      },
    ];
  },
};

export default nextConfig;
