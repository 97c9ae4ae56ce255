import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { installUploadedPackage } from "@/lib/plugins/admin";
import { requirePluginManager } from "@/lib/plugins/api";
import { AppError } from "@/lib/errors";

const MAX_UPLOAD = 128 * 1024 * 1024;

// POST /api/plugin/upload – install a .ndp (multipart field "file"; "replace=true" to overwrite)
export const POST = route({ auth: "admin" }, async ({ req }) => {
  const manager = requirePluginManager();
  if (Number(req.headers.get("content-length") ?? 0) > MAX_UPLOAD) throw new AppError("INVALID_INPUT", "package too large");
  const form = await req.formData().catch(() => null);
  const file = form?.get("file");
  if (!form || !(file instanceof File)) throw new AppError("INVALID_INPUT", "send the package as multipart field \"file\"");
  const result = await installUploadedPackage(manager, file.name, Buffer.from(await file.arrayBuffer()), form.get("replace") === "true");
  return json(result, { status: result.replaced ? 200 : 201 });
});
