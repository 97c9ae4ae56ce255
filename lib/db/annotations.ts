import "server-only";
import { db } from "./client";
import { annotationsChanged } from "./catalog-generation";
import type { Annotation } from "./generated/prisma/client";

/** The `Annotation` table: a user's stars, ratings and plays of tracks, albums and artists. */

export type ItemKind = "track" | "album" | "artist";

/** A user's annotations of the given items (any kind left out or empty is not looked up). */
export async function findAnnotations(userId: string, items: Partial<Record<ItemKind, string[]>>): Promise<Annotation[]> {
  const ors = (Object.entries(items) as [string, string[] | undefined][])
    .filter(([, ids]) => ids && ids.length)
    .map(([itemType, ids]) => ({ itemType, itemId: { in: ids! } }));
  return ors.length ? db().annotation.findMany({ where: { userId, OR: ors } }) : [];
}

/** Orders of a user's annotated albums, as the album lists use them. */
export type AlbumAnnotationOrder = "starred" | "highest" | "frequent" | "recent";

const ALBUM_ORDERS = {
  starred: { where: { starred: true }, orderBy: [{ starredAt: "desc" }] },
  highest: { where: { rating: { gt: 0 } }, orderBy: [{ rating: "desc" }, { itemId: "asc" }] },
  frequent: { where: { playCount: { gt: 0 } }, orderBy: [{ playCount: "desc" }, { itemId: "asc" }] },
  recent: { where: { playDate: { not: null } }, orderBy: [{ playDate: "desc" }] },
} as const;

/** Ids of the albums a user starred, rated, played or played lately, in that order's sequence. */
export async function annotatedAlbumIds(userId: string, order: AlbumAnnotationOrder): Promise<string[]> {
  const { where, orderBy } = ALBUM_ORDERS[order];
  const rows = await db().annotation.findMany({ where: { userId, itemType: "album", ...where }, orderBy: [...orderBy], select: { itemId: true } });
  return rows.map((r) => r.itemId);
}

/** A user's starred items of every kind, newest star first. */
export async function starredAnnotations(userId: string): Promise<Annotation[]> {
  return db().annotation.findMany({ where: { userId, starred: true }, orderBy: [{ starredAt: "desc" }, { itemId: "asc" }] });
}

/** An annotated item: what `Annotation.itemType` and `itemId` name. */
export interface ItemRef {
  type: ItemKind;
  id: string;
}

const key = (userId: string, item: ItemRef) => ({ userId_itemType_itemId: { userId, itemType: item.type, itemId: item.id } });

/** Stars (or unstars) items for a user in one transaction; starring again keeps the first `starredAt`. */
export async function writeStars(userId: string, items: ItemRef[], starred: boolean, now: Date): Promise<void> {
  try {
    await db().$transaction(async (tx) => {
      for (const item of items) {
        const current = await tx.annotation.findUnique({ where: key(userId, item) });
        const data = starred ? { starred: true, starredAt: current?.starred ? current.starredAt : now } : { starred: false, starredAt: null };
        if (current) await tx.annotation.update({ where: key(userId, item), data });
        else if (starred) await tx.annotation.create({ data: { userId, itemType: item.type, itemId: item.id, ...data } });
      }
    });
  } finally {
    annotationsChanged(userId); // cached answers carrying stars (lib/catalog/artist-index-cache)
  }
}

/** Sets a user's rating of an item (0 clears it). */
export async function writeRating(userId: string, item: ItemRef, rating: number): Promise<void> {
  try {
    await db().annotation.upsert({ where: key(userId, item), create: { userId, itemType: item.type, itemId: item.id, rating }, update: { rating } });
  } finally {
    annotationsChanged(userId); // cached answers carrying ratings (lib/catalog/artist-index-cache)
  }
}

/** A user's annotations of these tracks. */
export async function trackAnnotations(userId: string, trackIds: string[]): Promise<Annotation[]> {
  return db().annotation.findMany({ where: { userId, itemType: "track", itemId: { in: trackIds } } });
}

/** The mean rating of each track over the users who rated it (tracks nobody rated are absent). */
export async function meanTrackRatings(trackIds: string[]): Promise<Map<string, number>> {
  const rows = await db().annotation.groupBy({ by: ["itemId"], where: { itemType: "track", itemId: { in: trackIds }, rating: { gt: 0 } }, _avg: { rating: true } });
  return new Map(rows.map((r) => [r.itemId, r._avg.rating ?? 0]));
}

/**
 * Counts one play of each item for a user, in one transaction: `playCount + 1` and
 * `playDate = max(playDate, playTime)` (Navidrome's `incPlay`).
 */
export async function incrementPlays(userId: string, items: ItemRef[], playTime: Date): Promise<void> {
  await db().$transaction(async (tx) => {
    for (const { type: itemType, id: itemId } of items) {
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
