import { rmSync } from "node:fs";

// Each e2e run starts from an empty data folder: no users (first-run page), fresh database,
// empty plugins folder. Run as part of the webServer command, because Playwright starts the
// web server before globalSetup: a globalSetup cleanup would delete the folder under a
// server that has already booted on it.
rmSync(process.argv[2] ?? "data/e2e", { recursive: true, force: true });
