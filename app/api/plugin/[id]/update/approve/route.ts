import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { requirePluginManager } from "@/lib/plugin-admin/require-manager";
import { approvePendingUpdate } from "@/lib/plugin-lifecycle/update";

type P = { id: string };

// POST /api/plugin/:id/update/approve – approve the staged update's new permissions and install it → UpdateResult
export const POST = route<undefined, P>({ auth: "admin" }, async ({ params }) => {
  return json(await approvePendingUpdate(requirePluginManager(), params.id));
});
