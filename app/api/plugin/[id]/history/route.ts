import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { findPlugin } from "@/lib/db/plugins";
import { AppError } from "@/lib/errors";
import { requirePluginManager } from "@/lib/plugin-admin/require-manager";
import { pluginHistory } from "@/lib/plugin-lifecycle/store";

type P = { id: string };

// GET /api/plugin/:id/history – kept packages, most recent first → HistoryEntry[]
export const GET = route<undefined, P>({ auth: "admin" }, async ({ params }) => {
  requirePluginManager();
  if (!(await findPlugin(params.id))) throw new AppError("NOT_FOUND", "Plugin not found");
  return json(await pluginHistory(params.id));
});
