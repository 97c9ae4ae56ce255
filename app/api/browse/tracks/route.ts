import { viewerOf } from "@/lib/browse/scope";
import { tracksOf } from "@/lib/browse/tracks";
import { AppError } from "@/lib/errors";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

const KINDS = ["album", "artist", "playlist"] as const;

// GET /api/browse/tracks?album=ID | ?artist=ID | ?playlist=ID – the PlayerTracks a card's Play button queues
export const GET = route({ auth: "user" }, async ({ req, session }) => {
  const params = new URL(req.url).searchParams;
  const kind = KINDS.find((k) => params.has(k));
  const id = kind ? params.get(kind)! : "";
  if (!kind || !id) throw new AppError("INVALID_INPUT", "one of album, artist or playlist is required");
  const tracks = await tracksOf(await viewerOf(session!.user), { kind, id });
  if (!tracks) throw new AppError("NOT_FOUND", `${kind} not found: ${id}`);
  return json({ tracks });
});
