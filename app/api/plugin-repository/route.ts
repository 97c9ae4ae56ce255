import { z } from "zod";
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { addRepository, listRepositories } from "@/lib/plugin-catalog/repositories";

// GET /api/plugin-repository – configured and admin-added catalog repositories, with their cache state
export const GET = route({ auth: "admin" }, async () => json(await listRepositories()));

// POST /api/plugin-repository {url} – add a repository and fetch its catalog (a failed fetch shows as lastError)
export const POST = route({ auth: "admin", body: z.object({ url: z.string().min(1).max(2000) }) }, async ({ body }) => json(await addRepository(body.url), { status: 201 }));
