import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { requirePluginManager } from "@/lib/plugin-admin/require-manager";
import { activityView } from "@/lib/plugin-admin/views";
import { findPlugin } from "@/lib/db/plugins";
import { AppError } from "@/lib/errors";

// GET /api/plugin/:id/activity – recent log lines and per-export call metrics since the server started (admin only)
export const GET = route<undefined, { id: string }>({ auth: "admin" }, async ({ params }) => {
  const manager = requirePluginManager();
  const record = await findPlugin(params.id);
  if (!record) throw new AppError("NOT_FOUND", "Plugin not found");
  return json(activityView(record, manager.activity(params.id)));
});
