import "server-only";
import { findTracksIn } from "../../db/catalog";
import { deletePlayQueue, findPlayQueue, storePlayQueue } from "../../db/play-queue";
import type { MediaFile } from "../../db/rows";
import { annotationsFor, libraryIdsFor } from "../access";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";
import { songChild } from "../shapes";
import { registerExtension } from "./system";

/**
 * The saved play queue (Subsonic savePlayQueue/getPlayQueue and OpenSubsonic's index-based
 * pair), one per user as in Navidrome: a client saves its queue, current track and position,
 * and another client (or the web player after a reload) resumes it.
 */

registerExtension("indexBasedQueue", [1]);

/** More than any real queue; bounds the stored row. */
const MAX_ITEMS = 10_000;

function queueIds(ctx: SubsonicContext): string[] {
  const ids = ctx.params.all("id");
  if (ids.length > MAX_ITEMS) throw new SubsonicError(0, `A play queue holds at most ${MAX_ITEMS} songs`);
  return ids;
}

/** Position in milliseconds; negative values count as 0 (as Navidrome). */
function positionMs(ctx: SubsonicContext): number {
  return Math.max(0, ctx.params.int("position", 0));
}

async function save(ctx: SubsonicContext, ids: string[], current: number) {
  if (ids.length === 0) return deletePlayQueue(ctx.user.id);
  await storePlayQueue(ctx.user.id, { items: ids, current, position: positionMs(ctx), changedBy: ctx.client });
}

export const savePlayQueue: SubsonicHandler = async (ctx) => {
  const ids = queueIds(ctx);
  const currentId = ctx.params.string("current");
  await save(ctx, ids, Math.max(0, currentId ? ids.indexOf(currentId) : 0));
  return {};
};

export const savePlayQueueByIndex: SubsonicHandler = async (ctx) => {
  const ids = queueIds(ctx);
  const index = ids.length ? ctx.params.int("currentIndex") : 0;
  if (index === undefined) throw new SubsonicError(10, "Required parameter 'currentIndex' is missing.");
  if (ids.length && (index < 0 || index >= ids.length)) throw new SubsonicError(0, `currentIndex ${index} is outside the queue (0–${ids.length - 1})`);
  await save(ctx, ids, index);
  return {};
};

/**
 * The saved queue as this user may see it now: tracks deleted since, or in libraries the
 * user lost access to, are left out; `current` is the saved current track's place among
 * those left (undefined when it is gone). Null when nothing is saved.
 */
async function visibleQueue(ctx: SubsonicContext) {
  const q = await findPlayQueue(ctx.user.id);
  if (!q || q.items.length === 0) return null;
  const byId = new Map((await findTracksIn([...new Set(q.items)], await libraryIdsFor(ctx.user))).map((t) => [t.id, t]));
  const tracks: MediaFile[] = [];
  let current: number | undefined;
  q.items.forEach((id, i) => {
    const t = byId.get(id);
    if (!t) return;
    if (i === q.current) current = tracks.length;
    tracks.push(t);
  });
  const ann = await annotationsFor(ctx.user, { track: [...byId.keys()] });
  return {
    current,
    tracks,
    common: {
      position: q.position,
      username: ctx.user.userName,
      changed: q.changedAt.toISOString(),
      changedBy: q.changedBy,
      entry: tracks.map((t) => songChild(t, ann)),
    },
  };
}

/** An empty answer when nothing is saved, as Navidrome. */
export const getPlayQueue: SubsonicHandler = async (ctx) => {
  const q = await visibleQueue(ctx);
  if (!q) return {};
  return { playQueue: { current: q.current === undefined ? undefined : q.tracks[q.current].id, ...q.common } };
};

export const getPlayQueueByIndex: SubsonicHandler = async (ctx) => {
  const q = await visibleQueue(ctx);
  if (!q) return {};
  return { playQueueByIndex: { currentIndex: q.current, ...q.common } };
};
