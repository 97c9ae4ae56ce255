import "server-only";
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { log } from "../log";

/**
 * Tessitura's data is private to the account that runs it: the database holds users,
 * encrypted passwords and sealed signing secrets, the key file unseals them, plugin stores
 * hold whatever plugins keep. From boot on, the process creates files 0600 and folders
 * 0700 (umask 077), and the DataFolder and the files an earlier version left readable by
 * everyone are tightened (an upgrade needs no manual chmod).
 */
export function makeDataFolderPrivate(dataFolder: string): void {
  try {
    process.umask(0o077);
  } catch (err) {
    // Worker threads cannot change the umask; boot runs on the main thread.
    log.warn({ err }, "could not set the file-creation mask; data files rely on explicit modes");
  }
  mkdirSync(dataFolder, { recursive: true, mode: 0o700 });
  // turbopackIgnore: a run-time folder, not files of the app for the Next.js build to trace.
  const files = ["tessitura.db", "tessitura.db-wal", "tessitura.db-shm", "encryption.key"].map((f) => path.join(/*turbopackIgnore: true*/ dataFolder, f));
  for (const [p, mode] of [[dataFolder, 0o700], ...files.map((f) => [f, 0o600] as const)] as const) {
    if (!existsSync(p)) continue;
    try {
      chmodSync(p, mode);
    } catch (err) {
      // Not ours to change (e.g. a mount owned by another account): say so, keep running.
      log.warn({ err, path: p }, "could not make a data file private");
    }
  }
}
