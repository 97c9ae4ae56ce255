import "server-only";
import { AppError } from "../errors";
import { pluginManager, type PluginManager } from "../plugins";

/** `/api/plugin*` answers 404 when the plugin system is off (contract §6.1). */
export function requirePluginManager(): PluginManager {
  const m = pluginManager();
  if (!m || !m.opts.enabled) throw new AppError("NOT_FOUND", "Not found");
  return m;
}
