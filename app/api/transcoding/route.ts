import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { listPlayerBitRates } from "@/lib/media/transcode/bit-rate-limits";
import { FORMATS } from "@/lib/media/transcode/profiles";
import { transcoder } from "@/lib/media/transcode/transcoder";

// GET /api/transcoding – whether transcoding works, its formats, and the caller's bit-rate caps
// (an admin sees every user's players).
export const GET = route({ auth: "user" }, async ({ session }) => {
  const t = transcoder();
  const user = session!.user;
  return json({
    available: t.available,
    unavailableReason: t.unavailableReason,
    formats: FORMATS.map((f) => ({ format: f, contentType: t.profiles[f].contentType, defaultBitRate: t.profiles[f].defaultBitRate })),
    defaultFormat: t.config.Transcoding.DefaultFormat,
    userMaxBitRate: user.maxBitRate,
    players: await listPlayerBitRates(user.isAdmin ? null : user.id),
  });
});
