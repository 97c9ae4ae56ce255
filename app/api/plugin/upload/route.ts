import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { BODY_LIMITS, readBodyLimited } from "@/lib/http/body";
import { installUploadedPackage } from "@/lib/plugin-admin/packages";
import { requirePluginManager } from "@/lib/plugin-admin/require-manager";
import { AppError } from "@/lib/errors";

const MAX_PACKAGE = 128 * 1024 * 1024;

// POST /api/plugin/upload – install a .ndp (multipart field "file"; "replace=true" to overwrite)
export const POST = route({ auth: "admin" }, async ({ req }) => {
  const manager = requirePluginManager();
  // Counted while it streams (chunked uploads have no Content-Length); parsed only once complete.
  const bytes = await readBodyLimited(req, BODY_LIMITS.pluginUpload);
  const form = await new Response(bytes, { headers: { "Content-Type": req.headers.get("content-type") ?? "" } }).formData().catch(() => null);
  const file = form?.get("file");
  if (!form || !(file instanceof File)) throw new AppError("INVALID_INPUT", "send the package as multipart field \"file\"");
  if (file.size > MAX_PACKAGE) throw new AppError("TOO_LARGE", "package too large (limit 128 MiB)");
  const result = await installUploadedPackage(manager, file.name, Buffer.from(await file.arrayBuffer()), form.get("replace") === "true");
  return json(result, { status: result.replaced ? 200 : 201 });
});
