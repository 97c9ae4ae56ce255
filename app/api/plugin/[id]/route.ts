import { route } from "@/lib/http/route";
import { assertJsonDepth, BODY_LIMITS, readTextLimited } from "@/lib/http/body";
import { empty, json } from "@/lib/http/respond";
import { deletePluginPackage } from "@/lib/plugin-admin/packages";
import { pluginResource } from "@/lib/plugin-admin/resource";
import { requirePluginManager } from "@/lib/plugin-admin/require-manager";
import { updatePluginSettings } from "@/lib/plugin-admin/update-settings";
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

// PUT /api/plugin/:id – enable/disable, config, users, libraries (contract §6.2); Navidrome's statuses and messages, in the {error, fields?} body
export const PUT = route<undefined, P>({ auth: "admin" }, async ({ req, params }) => {
  const raw = await readTextLimited(req, BODY_LIMITS.pluginSettings);
  assertJsonDepth(raw);
  return json(await updatePluginSettings(requirePluginManager(), params.id, raw));
});

// DELETE /api/plugin/:id – delete the package file (the plugin is unloaded and removed)
export const DELETE = route<undefined, P>({ auth: "admin" }, async ({ params }) => {
  await deletePluginPackage(requirePluginManager(), params.id);
  return empty();
});
