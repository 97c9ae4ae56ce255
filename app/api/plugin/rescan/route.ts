import { route } from "@/lib/http/route";
import { requirePluginManager } from "@/lib/plugins/api";

// POST /api/plugin/rescan – synchronous folder sync (contract §6.1): 200 with an empty body
export const POST = route({ auth: "admin" }, async () => {
  const manager = requirePluginManager();
  try {
    await manager.sync();
  } catch (err) {
    return new Response(`Error rescanning plugins: ${(err as Error).message}`, { status: 500 });
  }
  return new Response(null, { status: 200 });
});
