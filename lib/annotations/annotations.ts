import "server-only";
import { meanTrackRatings, trackAnnotations, writeRating, writeStars } from "../db/annotations";
import type { Annotation } from "../db/rows";
import { AppError } from "../errors";

/** What an annotation is about: a track, an album or an artist (the `Annotation.itemType` values). */
export interface AnnotatedItem {
  type: "track" | "album" | "artist";
  id: string;
}

/** Stars (or unstars) items for a user, all in one transaction; starring again keeps the first date. */
export async function setStarred(userId: string, items: AnnotatedItem[], starred: boolean): Promise<void> {
  await writeStars(userId, items, starred, new Date());
}

/** Sets a user's rating of an item: 1–5, or 0 to clear it. */
export async function setRating(userId: string, item: AnnotatedItem, rating: number): Promise<void> {
  if (!Number.isInteger(rating) || rating < 0 || rating > 5) throw new AppError("INVALID_INPUT", `Invalid rating ${rating}: must be between 0 and 5`);
  await writeRating(userId, item, rating);
}

/** A user's annotations of the given tracks, by track ID. */
export async function findTrackAnnotations(userId: string, trackIds: string[]): Promise<Map<string, Annotation>> {
  if (trackIds.length === 0) return new Map();
  const rows = await trackAnnotations(userId, trackIds);
  return new Map(rows.map((r) => [r.itemId, r]));
}

/** The mean rating of each track over the users who rated it (absent when nobody did). */
export async function averageTrackRatings(trackIds: string[]): Promise<Map<string, number>> {
  if (trackIds.length === 0) return new Map();
  return meanTrackRatings(trackIds);
}
