import { viewerOf } from "@/lib/browse/scope";
import { searchBrowse } from "@/lib/browse/search";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

// GET /api/browse/search?q=… – artists, albums and songs for search as you type
export const GET = route({ auth: "user" }, async ({ req, session }) => {
  const q = new URL(req.url).searchParams.get("q") ?? "";
  return json(await searchBrowse(await viewerOf(session!.user), q));
});
