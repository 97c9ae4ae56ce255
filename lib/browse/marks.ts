import "server-only";
import { setRating, setStarred } from "../annotations/annotations";
import { artistIsVisible } from "../catalog/visibility";
import { albumExistsIn, trackExistsIn } from "../db/catalog";
import { AppError } from "../errors";
import type { Viewer } from "./scope";
import type { ItemKind } from "./types";

/** Refuses an item the viewer may not see, as if it did not exist (no probing of other libraries). */
async function assertVisible(v: Viewer, type: ItemKind, id: string): Promise<void> {
  const visible =
    type === "track" ? await trackExistsIn(id, v.libraryIds) : type === "album" ? await albumExistsIn(id, v.libraryIds) : await artistIsVisible(id, v.libraryIds);
  if (!visible) throw new AppError("NOT_FOUND", `Item not found: ${id}`);
}

/** Stars or unstars a track, album or artist the viewer can see. */
export async function markStarred(v: Viewer, type: ItemKind, id: string, starred: boolean): Promise<void> {
  await assertVisible(v, type, id);
  await setStarred(v.user.id, [{ type, id }], starred);
}

/** Rates (1–5) or clears (0) the rating of a track, album or artist the viewer can see. */
export async function markRating(v: Viewer, type: ItemKind, id: string, rating: number): Promise<void> {
  await assertVisible(v, type, id);
  await setRating(v.user.id, { type, id }, rating);
}
