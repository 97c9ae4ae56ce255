import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { playerSessionFor } from "@/lib/player/session";

// GET /api/player/session – Subsonic salt+token for the signed-in user's web player (never the password)
export const GET = route({ auth: "user" }, async ({ session }) => json(playerSessionFor(session!.user), { headers: { "Cache-Control": "no-store" } }));
