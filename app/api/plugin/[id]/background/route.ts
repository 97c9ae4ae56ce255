import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { requirePluginManager } from "@/lib/plugin-admin/require-manager";
import { getPluginBackground } from "@/lib/plugin-admin/background";

// GET /api/plugin/:id/background – active schedules, task queues (counts, recent failures) and open WebSockets
export const GET = route<undefined, { id: string }>({ auth: "admin" }, async ({ params }) => json(await getPluginBackground(requirePluginManager(), params.id)));
