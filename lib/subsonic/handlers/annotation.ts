import "server-only";
import { setRating as setItemRating, setStarred, type AnnotatedItem } from "../../annotations/annotations";
import { requestLibraryIds, resolveItem } from "../catalog";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";

/** The items named by `id` (any kind), `albumId` and `artistId`, each checked to exist for the user. */
async function starTargets(ctx: SubsonicContext): Promise<AnnotatedItem[]> {
  const libs = await requestLibraryIds(ctx);
  const asked = [
    ...ctx.params.all("id").map((id) => [id, undefined] as const),
    ...ctx.params.all("albumId").map((id) => [id, "album"] as const),
    ...ctx.params.all("artistId").map((id) => [id, "artist"] as const),
  ];
  if (!asked.length) throw new SubsonicError(10, "Required parameter 'id', 'albumId' or 'artistId' is missing.");
  return Promise.all(asked.map(([id, only]) => resolveItem(id, libs, only)));
}

export const star: SubsonicHandler = async (ctx) => {
  await setStarred(ctx.user.id, await starTargets(ctx), true);
  return {};
};

export const unstar: SubsonicHandler = async (ctx) => {
  await setStarred(ctx.user.id, await starTargets(ctx), false);
  return {};
};

export const setRating: SubsonicHandler = async (ctx) => {
  const id = ctx.params.required("id");
  const rating = ctx.params.int("rating");
  if (rating === undefined) throw new SubsonicError(10, "Required parameter 'rating' is missing.");
  if (rating < 0 || rating > 5) throw new SubsonicError(0, `Invalid rating ${rating}: must be between 0 and 5`);
  await setItemRating(ctx.user.id, await resolveItem(id, await requestLibraryIds(ctx)), rating);
  return {};
};
