import { z } from "zod";
import { route } from "@/lib/http/route";
import { empty, json } from "@/lib/http/respond";
import { requirePluginManager } from "@/lib/plugin-admin/require-manager";
import { discardPendingUpdate, updateFromCatalog, updateView } from "@/lib/plugin-lifecycle/update";

type P = { id: string };
const body = z.object({ version: z.string().min(1).max(100).optional() });

// GET /api/plugin/:id/update – the available update (with its declared permission diff) and the staged one → UpdateView
export const GET = route<undefined, P>({ auth: "admin" }, async ({ params }) => {
  requirePluginManager();
  return json(await updateView(params.id));
});

// POST /api/plugin/:id/update – update from the catalog: applied in place, or staged when it asks for new permissions → UpdateResult
export const POST = route<typeof body, P>({ auth: "admin", body }, async ({ params, body }) => {
  return json(await updateFromCatalog(requirePluginManager(), params.id, { version: body.version }));
});

// DELETE /api/plugin/:id/update – discard the staged update
export const DELETE = route<undefined, P>({ auth: "admin" }, async ({ params }) => {
  await discardPendingUpdate(requirePluginManager(), params.id);
  return empty();
});
