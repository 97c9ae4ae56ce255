import { z } from "zod";
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { MAX_BIT_RATE_SETTING, setUserMaxBitRate } from "@/lib/media/transcode/bit-rate-limits";

const body = z.object({ maxBitRate: z.number().int().min(0).max(MAX_BIT_RATE_SETTING) });

// PUT /api/transcoding/user/:id { maxBitRate } – a user's stream cap in kbps for all their players (0 = none); admins only
export const PUT = route<typeof body, { id: string }>({ auth: "admin", body }, async ({ body, params }) => json(await setUserMaxBitRate(params.id, body.maxBitRate)));
