import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { listCatalogPlugins } from "@/lib/plugin-catalog/browse";

// GET /api/plugin-catalog?q=&capability= – plugins of every cached catalog, with installed state and compatibility
export const GET = route({ auth: "admin" }, async ({ req }) => {
  const q = new URL(req.url).searchParams;
  return json(await listCatalogPlugins({ q: q.get("q") ?? undefined, capability: q.get("capability") ?? undefined }));
});
