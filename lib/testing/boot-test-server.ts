import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { boot } from "../server/boot";

/**
 * Boots the server state (config, migrated SQLite database, secrets, dev admin) in a
 * fresh temporary DataFolder. Boot is once per process; vitest runs each file in its
 * own process, so each test file gets its own server.
 */
export async function bootTestServer(extraEnv: Record<string, string> = {}) {
  const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-test-"));
  const env = {
    ND_DATAFOLDER: dataFolder,
    ND_MUSICFOLDER: path.join(dataFolder, "music"),
    ND_DEVAUTOCREATEADMINPASSWORD: "admin-pass",
    ND_LOGLEVEL: "error",
    ...extraEnv,
  };
  const config = await boot(env);
  return { dataFolder, config, adminPassword: env.ND_DEVAUTOCREATEADMINPASSWORD };
}
