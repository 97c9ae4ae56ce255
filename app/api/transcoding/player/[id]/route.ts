import { z } from "zod";
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { MAX_BIT_RATE_SETTING, setPlayerMaxBitRate } from "@/lib/media/transcode/bit-rate-limits";

const body = z.object({ maxBitRate: z.number().int().min(0).max(MAX_BIT_RATE_SETTING) });

// PUT /api/transcoding/player/:id { maxBitRate } – a player's stream cap in kbps (0 = none); own players, or any for admins
export const PUT = route<typeof body, { id: string }>({ auth: "user", body }, async ({ session, body, params }) => json(await setPlayerMaxBitRate(session!.user, params.id, body.maxBitRate)));
