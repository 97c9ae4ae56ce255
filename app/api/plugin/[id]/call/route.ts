import { z } from "zod";
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { callPluginAsAdmin } from "@/lib/plugin-admin/debug-call";
import { requirePluginManager } from "@/lib/plugin-admin/require-manager";

const CallBody = z.object({ function: z.string().min(1), input: z.unknown().optional() });

// POST /api/plugin/:id/call – debug: call one export of an enabled plugin with {function, input}; answers its JSON output (admin only)
export const POST = route<typeof CallBody, { id: string }>({ auth: "admin", body: CallBody }, async ({ params, body }) =>
  json(await callPluginAsAdmin(requirePluginManager(), params.id, body.function, body.input)),
);
