import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// `npm run test:security`: attacks, fuzzing, fault injection and load (issue #9). Kept out of
// the default run's file list so each can be run alone; `npm test` runs both.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["lib/**/*.security.test.ts"],
    exclude: ["node_modules/**", "build/**"],
    testTimeout: 120_000,
  },
});
