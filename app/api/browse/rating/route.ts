import { z } from "zod";
import { markRating } from "@/lib/browse/marks";
import { viewerOf } from "@/lib/browse/scope";
import { empty } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

const RatingRequest = z.object({ type: z.enum(["track", "album", "artist"]), id: z.string().min(1).max(200), rating: z.number().int().min(0).max(5) });

// POST /api/browse/rating {type, id, rating} – rate (1–5) or clear (0) a track, album or artist
export const POST = route({ auth: "user", body: RatingRequest }, async ({ body, session }) => {
  await markRating(await viewerOf(session!.user), body.type, body.id, body.rating);
  return empty();
});
