import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { listPluginResources } from "@/lib/plugin-admin/resource";
import { requirePluginManager } from "@/lib/plugin-admin/require-manager";

// GET /api/plugin – list (react-admin paging and filters, total in X-Total-Count)
export const GET = route({ auth: "admin" }, async ({ req }) => {
  requirePluginManager();
  const q = new URL(req.url).searchParams;
  const num = (k: string) => (q.get(k) === null ? undefined : Number(q.get(k)));
  const enabled = q.get("enabled");
  const { total, items } = await listPluginResources({
    sort: q.get("_sort") ?? undefined,
    order: q.get("_order") === "DESC" ? "DESC" : "ASC",
    start: num("_start"),
    end: num("_end"),
    id: q.get("id") ?? undefined,
    enabled: enabled === null ? undefined : enabled === "true",
  });
  return json(items, { headers: { "X-Total-Count": String(total) } });
});
