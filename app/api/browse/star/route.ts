import { z } from "zod";
import { markStarred } from "@/lib/browse/marks";
import { viewerOf } from "@/lib/browse/scope";
import { empty } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

const StarRequest = z.object({ type: z.enum(["track", "album", "artist"]), id: z.string().min(1).max(200), starred: z.boolean() });

// POST /api/browse/star {type, id, starred} – star or unstar a track, album or artist
export const POST = route({ auth: "user", body: StarRequest }, async ({ body, session }) => {
  await markStarred(await viewerOf(session!.user), body.type, body.id, body.starred);
  return empty();
});
