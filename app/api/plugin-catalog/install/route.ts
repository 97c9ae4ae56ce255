import { z } from "zod";
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { requirePluginManager } from "@/lib/plugin-admin/require-manager";
import { installFromCatalog } from "@/lib/plugin-lifecycle/install";

const body = z.object({ pluginId: z.string().min(1).max(200), version: z.string().min(1).max(100).optional(), repositoryId: z.number().int().optional() });

// POST /api/plugin-catalog/install – download, verify and install a catalog plugin (lands disabled) → 201 InstallResult
export const POST = route({ auth: "admin", body }, async ({ body }) => {
  return json(await installFromCatalog(requirePluginManager(), body), { status: 201 });
});
