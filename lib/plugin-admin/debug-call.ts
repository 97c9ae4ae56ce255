import "server-only";
import { findPlugin } from "../db/plugins";
import { AppError } from "../errors";
import type { PluginManager } from "../plugins";
import { FunctionNotFoundError, PluginError } from "../plugins/errors";

/**
 * Calls one export of a loaded plugin for an admin (the debug endpoint): the plugin's
 * decoded JSON output, or its failure as a message the caller may see.
 */
export async function callPluginAsAdmin(manager: PluginManager, id: string, fn: string, input: unknown): Promise<unknown> {
  const record = await findPlugin(id);
  if (!record) throw new AppError("NOT_FOUND", "Plugin not found");
  if (!manager.loadedPlugin(id)) throw new AppError("CONFLICT", `plugin ${id} is not enabled`);
  try {
    return (await manager.call(id, fn, input)) ?? null;
  } catch (err) {
    if (err instanceof FunctionNotFoundError) throw new AppError("NOT_FOUND", err.message);
    if (err instanceof PluginError) throw new AppError("UNPROCESSABLE", err.message, { cause: err });
    throw err;
  }
}
