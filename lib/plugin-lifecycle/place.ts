import "server-only";
import { copyFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { findPlugin, type PluginRecord } from "../db/plugins";
import { AppError } from "../errors";
import { log } from "../log";
import type { PluginManager } from "../plugins";

/**
 * Puts a checked package into the plugins folder as `<id>.ndp`: copied beside the target
 * under a name the scanner ignores, then renamed, so the folder never holds a half-written
 * package; then the folder sync picks it up as it does any changed file (a new plugin lands
 * disabled; a changed one is disabled with its settings kept). With `reEnable`, a plugin
 * that was enabled is enabled again on the new package (same gates and load check as the
 * enable switch); a refusal leaves it disabled with the error stored, as enable does.
 */
export async function placePackage(manager: PluginManager, id: string, file: string, opts: { reEnable: boolean }): Promise<PluginRecord> {
  const before = await findPlugin(id);
  const target = before?.path ?? path.join(manager.opts.folder, `${id}.ndp`);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.lifecycle-${process.pid}`);
  try {
    copyFileSync(file, tmp);
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  await manager.sync();
  if (opts.reEnable && before?.enabled) {
    try {
      await manager.enable(id);
    } catch (err) {
      log.warn({ plugin: id, err: (err as Error).message }, "Updated plugin could not be enabled again");
    }
  }
  const after = await findPlugin(id);
  if (!after) throw new AppError("INTERNAL", `plugin ${id} did not appear after its package was installed`);
  return after;
}
