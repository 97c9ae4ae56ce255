import { route } from "@/lib/http/route";
import { rescanPlugins } from "@/lib/plugin-admin/packages";
import { requirePluginManager } from "@/lib/plugin-admin/require-manager";

// POST /api/plugin/rescan – synchronous folder sync (contract §6.1): 200 with an empty body
export const POST = route({ auth: "admin" }, async () => {
  await rescanPlugins(requirePluginManager());
  return new Response(null, { status: 200 });
});
