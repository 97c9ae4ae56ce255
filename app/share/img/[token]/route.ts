import { findPublicImage } from "@/lib/media/public-image";

export const dynamic = "force-dynamic";

// GET /share/img/:token[?size=N] – public artwork behind the links the artwork host service makes
export async function GET(req: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  const { token } = await params;
  const size = Number.parseInt(new URL(req.url).searchParams.get("size") ?? "", 10);
  const found = await findPublicImage(token, Number.isFinite(size) ? size : 0);
  if ("error" in found) return new Response(found.error === "invalid" ? "invalid request" : "Artwork not found", { status: found.error === "invalid" ? 400 : 404 });
  const { bytes, contentType } = found.image;
  return new Response(bytes as BodyInit, { headers: { "Content-Type": contentType, "Content-Length": String(bytes.length), "Cache-Control": "public, max-age=86400" } });
}
