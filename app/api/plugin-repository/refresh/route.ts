import { z } from "zod";
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { refreshRepositories } from "@/lib/plugin-catalog/repositories";

// POST /api/plugin-repository/refresh {id?} – fetch the catalogs now (all, or one); each keeps its own error
export const POST = route({ auth: "admin", body: z.object({ id: z.number().int().optional() }) }, async ({ body }) => json(await refreshRepositories({ id: body.id })));
