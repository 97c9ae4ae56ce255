import "server-only";
import { AppError } from "../errors";
import { pluginManager } from "./index";
import type { PluginManager } from "./manager";

/** `/api/plugin*` answers 404 when the plugin system is off (contract §6.1). */
export function requirePluginManager(): PluginManager {
  const m = pluginManager();
  if (!m || !m.opts.enabled) throw new AppError("NOT_FOUND", "Not found");
  return m;
}
