import "server-only";
import { db } from "./client";

/** The `Scrobble` table: every counted play of a user, kept for plugins that read it back. */

/** One stored play. `submissionTime` is in Unix seconds. */
export interface ScrobbleRow {
  id: number;
  mediaFileId: string;
  submissionTime: number;
}

/** Inclusive bounds on `submissionTime` (Unix seconds); an absent bound is open. */
export interface TimeRange {
  from?: number;
  to?: number;
}

const rangeWhere = (userId: string, range: TimeRange) => ({
  userId,
  submissionTime: { ...(range.from !== undefined && { gte: BigInt(range.from) }), ...(range.to !== undefined && { lte: BigInt(range.to) }) },
});

/** Records one play of `mediaFileId` by `userId` at `submissionTime` (Unix seconds). */
export async function insertScrobble(userId: string, mediaFileId: string, submissionTime: number): Promise<void> {
  await db().scrobble.create({ data: { userId, mediaFileId, submissionTime: BigInt(submissionTime) } });
}

/**
 * One slice of a user's plays in `range`, ordered by (submissionTime, id), both ascending or
 * both descending; served by the (userId, submissionTime) index, whose entries end in the rowid.
 */
export async function scrobbleSlice(userId: string, range: TimeRange, opts: { descending: boolean; limit: number; offset: number }): Promise<ScrobbleRow[]> {
  const dir = opts.descending ? "desc" : "asc";
  const rows = await db().scrobble.findMany({
    where: rangeWhere(userId, range),
    orderBy: [{ submissionTime: dir }, { id: dir }],
    take: opts.limit,
    skip: opts.offset,
    select: { id: true, mediaFileId: true, submissionTime: true },
  });
  return rows.map((r) => ({ id: r.id, mediaFileId: r.mediaFileId, submissionTime: Number(r.submissionTime) }));
}

/** How many plays of the user fall in `range`. */
export async function countScrobbles(userId: string, range: TimeRange): Promise<number> {
  return db().scrobble.count({ where: rangeWhere(userId, range) });
}

/** The oldest and newest play times of the user (Unix seconds), or null without any play. */
export async function scrobbleTimeBounds(userId: string): Promise<{ first: number; last: number } | null> {
  const r = await db().scrobble.aggregate({ where: { userId }, _min: { submissionTime: true }, _max: { submissionTime: true } });
  if (r._min.submissionTime === null || r._max.submissionTime === null) return null;
  return { first: Number(r._min.submissionTime), last: Number(r._max.submissionTime) };
}
