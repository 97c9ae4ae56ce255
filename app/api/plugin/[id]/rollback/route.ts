import { z } from "zod";
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { requirePluginManager } from "@/lib/plugin-admin/require-manager";
import { rollbackPlugin } from "@/lib/plugin-lifecycle/rollback";

type P = { id: string };
const body = z
  .object({ sha256: z.string().min(1).max(64).optional(), version: z.string().min(1).max(100).optional() })
  .refine((b) => (b.sha256 === undefined) !== (b.version === undefined), { message: "give either sha256 or version", path: ["sha256"] });

// POST /api/plugin/:id/rollback – reinstall a kept package (settings kept) → HistoryEntry
export const POST = route<typeof body, P>({ auth: "admin", body }, async ({ params, body }) => {
  return json(await rollbackPlugin(requirePluginManager(), params.id, body));
});
