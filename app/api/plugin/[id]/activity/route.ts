import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { requirePluginManager } from "@/lib/plugins/api";
import { findPlugin } from "@/lib/db/plugins";
import { AppError } from "@/lib/errors";

// GET /api/plugin/:id/activity – recent log lines and per-export call metrics since the server started (admin only)
export const GET = route<undefined, { id: string }>({ auth: "admin" }, async ({ params }) => {
  const manager = requirePluginManager();
  if (!(await findPlugin(params.id))) throw new AppError("NOT_FOUND", "Plugin not found");
  const activity = manager.activity(params.id);
  return json({ lines: activity.recentLines(), metrics: activity.metrics() });
});
