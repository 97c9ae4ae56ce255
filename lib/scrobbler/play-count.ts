import "server-only";
import { db } from "../db/client";
import type { MediaFile } from "../db/generated/prisma/client";

type ItemType = "track" | "album" | "artist";

/**
 * Counts one play of a track for a user: the track, its album and each credited artist
 * get `playCount + 1` and `playDate = max(playDate, playTime)`, in one transaction
 * (Navidrome's `incPlay`).
 */
export async function recordPlay(userId: string, track: MediaFile, playTime: Date): Promise<void> {
  const artistIds = (JSON.parse(track.participants) as { id: string; role: string }[]).filter((p) => p.role === "artist").map((p) => p.id);
  const items: [ItemType, string][] = [["track", track.id], ["album", track.albumId], ...[...new Set(artistIds)].map((id): [ItemType, string] => ["artist", id])];
  await db().$transaction(async (tx) => {
    for (const [itemType, itemId] of items) {
      const where = { userId_itemType_itemId: { userId, itemType, itemId } };
      const current = await tx.annotation.findUnique({ where, select: { playDate: true } });
      if (!current) {
        await tx.annotation.create({ data: { userId, itemType, itemId, playCount: 1, playDate: playTime } });
        continue;
      }
      const playDate = current.playDate && current.playDate > playTime ? current.playDate : playTime;
      await tx.annotation.update({ where, data: { playCount: { increment: 1 }, playDate } });
    }
  });
}
