import { route } from "@/lib/http/route";
import { assertJsonDepth, BODY_LIMITS, readTextLimited } from "@/lib/http/body";
import { empty, json } from "@/lib/http/respond";
import { deletePluginPackage, pluginResource } from "@/lib/plugins/admin";
import { requirePluginManager } from "@/lib/plugins/api";
import { updatePluginFromApi } from "@/lib/plugins/api-update";
import { findPlugin } from "@/lib/db/plugins";
import { AppError } from "@/lib/errors";

type P = { id: string };

// GET /api/plugin/:id – one plugin
export const GET = route<undefined, P>({ auth: "admin" }, async ({ params }) => {
  requirePluginManager();
  const record = await findPlugin(params.id);
  if (!record) throw new AppError("NOT_FOUND", "Plugin not found");
  return json(pluginResource(record));
});

// PUT /api/plugin/:id – enable/disable, config, users, libraries (contract §6.2)
export const PUT = route<undefined, P>({ auth: "admin" }, async ({ req, params }) => {
  const raw = await readTextLimited(req, BODY_LIMITS.pluginSettings);
  assertJsonDepth(raw);
  return updatePluginFromApi(requirePluginManager(), params.id, raw);
});

// DELETE /api/plugin/:id – delete the package file (the plugin is unloaded and removed)
export const DELETE = route<undefined, P>({ auth: "admin" }, async ({ params }) => {
  await deletePluginPackage(requirePluginManager(), params.id);
  return empty();
});
