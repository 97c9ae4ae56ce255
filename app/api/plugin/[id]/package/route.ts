import { route } from "@/lib/http/route";
import { attachmentDisposition } from "@/lib/http/respond";
import { readPluginPackage } from "@/lib/plugin-admin/packages";
import { requirePluginManager } from "@/lib/plugin-admin/require-manager";

// GET /api/plugin/:id/package – download the installed .ndp
export const GET = route<undefined, { id: string }>({ auth: "admin" }, async ({ params }) => {
  requirePluginManager();
  const { fileName, bytes } = await readPluginPackage(params.id);
  return new Response(new Uint8Array(bytes), { headers: { "Content-Type": "application/zip", "Content-Disposition": attachmentDisposition(fileName) } });
});
