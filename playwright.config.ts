import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 4599);
const DATA = "data/e2e";

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.mjs",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: "chromium",
    headless: true,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: Playwright cannot download its own browser here.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run", "--autoplay-policy=no-user-gesture-required"],
    },
  },
  webServer: {
    // scripts/server.mjs, as `npm start`: the app sees the socket address (rate limits, logs).
    command: `node e2e/reset-data.mjs ${DATA} && node scripts/server.mjs --hostname 127.0.0.1 --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/rest/ping?f=json`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      ND_DATAFOLDER: DATA,
      ND_MUSICFOLDER: `${DATA}/music`,
      ND_LOGLEVEL: "warn",
      // Plugin info lines reach the activity log the scrobbler spec reads.
      ND_PLUGINS_LOGLEVEL: "info",
      // e2e/12-plugin-catalog.spec.ts serves its catalog from 127.0.0.1 and signs it with a test key.
      ND_PLUGINS_ALLOWPRIVATEREPOSITORIES: "true",
      ND_PLUGINS_TRUSTEDKEYS: "XVSHMZ0abYuOU7QzbPTabnvp52T9leh1w62hcPqCCoI=",
      // e2e/13-web-player.spec.ts: Instant Mix asks this test agent (installed by the spec) for similar songs.
      ND_AGENTS: "test-mix-agent",
      E2E_DATA: DATA,
      // Start with the generated demo library, as `npm run demo` does.
      TESSITURA_DEMO: "1",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
