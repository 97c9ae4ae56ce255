import "server-only";
import { db } from "../db/client";
import type { Annotation } from "../db/generated/prisma/client";
import { AppError } from "../errors";

/** What an annotation is about: a track, an album or an artist (the `Annotation.itemType` values). */
export interface AnnotatedItem {
  type: "track" | "album" | "artist";
  id: string;
}

const key = (userId: string, item: AnnotatedItem) => ({ userId_itemType_itemId: { userId, itemType: item.type, itemId: item.id } });

/** Stars (or unstars) items for a user, all in one transaction; starring again keeps the first date. */
export async function setStarred(userId: string, items: AnnotatedItem[], starred: boolean): Promise<void> {
  const now = new Date();
  await db().$transaction(async (tx) => {
    for (const item of items) {
      const current = await tx.annotation.findUnique({ where: key(userId, item) });
      const data = starred ? { starred: true, starredAt: current?.starred ? current.starredAt : now } : { starred: false, starredAt: null };
      if (current) await tx.annotation.update({ where: key(userId, item), data });
      else if (starred) await tx.annotation.create({ data: { userId, itemType: item.type, itemId: item.id, ...data } });
    }
  });
}

/** Sets a user's rating of an item: 1–5, or 0 to clear it. */
export async function setRating(userId: string, item: AnnotatedItem, rating: number): Promise<void> {
  if (!Number.isInteger(rating) || rating < 0 || rating > 5) throw new AppError("INVALID_INPUT", `Invalid rating ${rating}: must be between 0 and 5`);
  await db().annotation.upsert({
    where: key(userId, item),
    create: { userId, itemType: item.type, itemId: item.id, rating },
    update: { rating },
  });
}

/** A user's annotations of the given tracks, by track ID. */
export async function findTrackAnnotations(userId: string, trackIds: string[]): Promise<Map<string, Annotation>> {
  if (trackIds.length === 0) return new Map();
  const rows = await db().annotation.findMany({ where: { userId, itemType: "track", itemId: { in: trackIds } } });
  return new Map(rows.map((r) => [r.itemId, r]));
}

/** The mean rating of each track over the users who rated it (absent when nobody did). */
export async function averageTrackRatings(trackIds: string[]): Promise<Map<string, number>> {
  if (trackIds.length === 0) return new Map();
  const rows = await db().annotation.groupBy({ by: ["itemId"], where: { itemType: "track", itemId: { in: trackIds }, rating: { gt: 0 } }, _avg: { rating: true } });
  return new Map(rows.map((r) => [r.itemId, r._avg.rating ?? 0]));
}
