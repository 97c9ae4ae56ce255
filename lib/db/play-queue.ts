import "server-only";
import { db } from "./client";

/** The `PlayQueue` table: one saved queue per user (Subsonic savePlayQueue/getPlayQueue). */

export interface StoredPlayQueue {
  /** Track ids in queue order (a track may appear more than once). */
  items: string[];
  /** Index into `items` of the current track. */
  current: number;
  /** Position in the current track, in milliseconds. */
  position: number;
  /** The client that saved it. */
  changedBy: string;
  changedAt: Date;
}

function parseItems(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export async function findPlayQueue(userId: string): Promise<StoredPlayQueue | null> {
  const row = await db().playQueue.findUnique({ where: { userId } });
  if (!row) return null;
  return { items: parseItems(row.items), current: row.current, position: Number(row.position), changedBy: row.changedBy, changedAt: row.updatedAt };
}

/** Replaces the user's queue. */
export async function storePlayQueue(userId: string, q: Omit<StoredPlayQueue, "changedAt">): Promise<void> {
  const data = { items: JSON.stringify(q.items), current: q.current, position: BigInt(q.position), changedBy: q.changedBy };
  await db().playQueue.upsert({ where: { userId }, create: { userId, ...data }, update: data });
}

/** Forgets the user's queue (a save without tracks). */
export async function deletePlayQueue(userId: string): Promise<void> {
  await db().playQueue.deleteMany({ where: { userId } });
}
