import "server-only";
import { existsSync } from "node:fs";
import { listPluginPackages } from "../db/plugin-history";
import { findPlugin } from "../db/plugins";
import { AppError } from "../errors";
import { log } from "../log";
import type { HistoryEntry } from "../plugin-catalog/types";
import type { PluginManager } from "../plugins";
import { openPackage, sha256File } from "../plugins/package";
import { serialized } from "./lock";
import { diffPermissions, summarizeManifest } from "./permission-diff";
import { placePackage } from "./place";
import { keepCurrentPackage, keptPackagePath, pluginHistory, recordPackage } from "./store";
import { installedSummary } from "./update";
import { wasmFunctionExports } from "./wasm-exports";

/**
 * Rolls a plugin back to a kept package (issue #15 point 4), named by its sha256 (or a
 * unique prefix of at least 8 hex digits) or by its version (the most recent package with
 * it). Settings are kept. The plugin stays enabled when the older package asks for nothing
 * the installed one does not; otherwise it is left disabled, and enabling it is the
 * admin's consent to those grants.
 */
export async function rollbackPlugin(manager: PluginManager, id: string, target: { sha256?: string; version?: string }): Promise<HistoryEntry> {
  return serialized(id, async () => {
    const record = await findPlugin(id);
    if (!record) throw new AppError("NOT_FOUND", "Plugin not found");
    const kept = await listPluginPackages(id);
    const wanted = target.sha256?.toLowerCase();
    const matches = wanted
      ? kept.filter((p) => (wanted.length >= 8 && /^[0-9a-f]+$/.test(wanted) ? p.sha256.startsWith(wanted) : p.sha256 === wanted))
      : kept.filter((p) => p.version === target.version).slice(0, 1);
    if (matches.length > 1) throw new AppError("INVALID_INPUT", `"${target.sha256}" matches ${matches.length} kept packages; give more of the sha256`);
    const chosen = matches[0];
    if (!chosen) throw new AppError("NOT_FOUND", `${id} has no kept package ${target.sha256 ?? `with version ${target.version}`}`);
    if (chosen.sha256 === record.sha256) throw new AppError("CONFLICT", `${id} ${chosen.version} (${chosen.sha256.slice(0, 12)}) is already installed`);
    const file = keptPackagePath(manager, id, chosen.sha256);
    if (!existsSync(file)) throw new AppError("NOT_FOUND", `the kept package ${chosen.sha256} of ${id} is missing from the data folder`);
    // Kept files are private to the server, but a rollback installs code: check it as if it were new.
    const actual = await sha256File(file);
    if (actual !== chosen.sha256) throw new AppError("UNPROCESSABLE", `package sha256 mismatch: expected ${chosen.sha256}, got ${actual}`);
    let opened;
    try {
      opened = await openPackage(file);
    } catch (err) {
      throw new AppError("UNPROCESSABLE", (err as Error).message);
    }
    const diff = diffPermissions(await installedSummary(record), summarizeManifest(opened.manifest, wasmFunctionExports(opened.wasm)));
    await keepCurrentPackage(manager, id);
    await placePackage(manager, id, file, { reEnable: !diff.requiresApproval });
    await recordPackage(manager, id, file, { version: opened.manifest.version, sha256: chosen.sha256, source: "rollback" });
    log.info({ plugin: id, version: opened.manifest.version, sha256: chosen.sha256 }, "Plugin rolled back");
    return (await pluginHistory(id)).find((e) => e.current)!;
  });
}
