import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname, "server-only": path.join(import.meta.dirname, "lib/testing/server-only-stub.ts") } },
  test: {
    include: ["lib/**/*.test.ts", "components/**/*.test.ts", "app/**/*.test.ts", "scripts/**/*.test.ts", "plugins/**/*.test.ts"],
    exclude: ["node_modules/**", "build/**", "plugins/testdata/**", "**/*.security.test.ts"],
    globalSetup: ["lib/testing/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
