import { viewerOf } from "@/lib/browse/scope";
import { placeholderCover } from "@/lib/browse/placeholder";
import { route } from "@/lib/http/route";
import { coverArt } from "@/lib/media/covers";

type P = { id: string };

// GET /api/cover/:id?size=N – cover art for the listener pages (session cookie; same ids and
// size buckets as Subsonic getCoverArt). Missing art answers a placeholder image, not a 404, so
// a page full of covers logs no failed loads in the browser console.
export const GET = route<undefined, P>({ auth: "user" }, async ({ req, params, session }) => {
  const size = Math.max(0, Math.min(2048, Number(new URL(req.url).searchParams.get("size")) || 0));
  const viewer = await viewerOf(session!.user);
  const img = await coverArt(params.id, viewer.libraryIds, size);
  const { bytes, contentType } = img ?? placeholderCover();
  return new Response(bytes as BodyInit, {
    headers: { "Content-Type": contentType, "Content-Length": String(bytes.length), "Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff" },
  });
});
