import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { listLibraries } from "@/lib/libraries/libraries";

// GET /api/library – libraries for the plugin library selector (admin)
export const GET = route({ auth: "admin" }, async () => {
  const libs = await listLibraries();
  return json(
    libs.map((l) => ({ id: l.id, name: l.name, path: l.path })),
    { headers: { "X-Total-Count": String(libs.length) } },
  );
});
