import { rmSync } from "node:fs";

// Each e2e run starts from an empty data folder: no users (first-run page), fresh database.
// Runs before Playwright starts the web server.
export default function globalSetup() {
  rmSync("data/e2e", { recursive: true, force: true });
}
