import "server-only";
import { findPlugin } from "../db/plugins";
import { AppError } from "../errors";
import type { PluginManager } from "../plugins";
import type { ScheduleStatus } from "../plugins/host/scheduler";
import type { TaskQueueStatus } from "../plugins/host/taskqueue";
import type { ConnectionStatus } from "../plugins/host/websocket";

/**
 * A plugin's background work for its admin page. Schedules and connections exist only
 * while the plugin is loaded (Navidrome keeps them in memory); task counts come from the
 * plugin's task database through its loaded service.
 */
export interface PluginBackground {
  loaded: boolean;
  schedules: ScheduleStatus[];
  connections: ConnectionStatus[];
  /** Null when the plugin has no `taskqueue` permission or is not loaded. */
  taskQueues: TaskQueueStatus | null;
}

export async function getPluginBackground(manager: PluginManager, id: string): Promise<PluginBackground> {
  if (!(await findPlugin(id))) throw new AppError("NOT_FOUND", "Plugin not found");
  const plugin = manager.loadedPlugin(id);
  const status = plugin?.background() ?? {};
  return {
    loaded: plugin !== undefined,
    schedules: (status.scheduler as ScheduleStatus[] | undefined) ?? [],
    connections: (status.websocket as ConnectionStatus[] | undefined) ?? [],
    taskQueues: (status.taskqueue as TaskQueueStatus | undefined) ?? null,
  };
}
