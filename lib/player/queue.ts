import type { PlayerTrack } from "@/components/player/player-types";

/**
 * The play queue as plain data, and every edit the player makes to it. Pure functions (no audio, no React), so the
 * rules (where "add next" inserts, which track stays current after a move or removal, what repeat does at the end)
 * are unit-tested in queue.test.ts.
 */
export interface QueueState {
  tracks: PlayerTrack[];
  /** Index of the current track; -1 when the queue is empty. */
  index: number;
}

export type RepeatMode = "off" | "all" | "one";

export const EMPTY_QUEUE: QueueState = { tracks: [], index: -1 };

/** Fisher–Yates with an injectable random source (tests pass a seeded one). */
export function shuffled<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A new queue of `tracks` starting at `start`; with `shuffle`, the start track first and the rest in random order. */
export function replaceQueue(tracks: readonly PlayerTrack[], start = 0, shuffle = false, random: () => number = Math.random): QueueState {
  if (tracks.length === 0) return EMPTY_QUEUE;
  const first = Math.min(Math.max(0, start), tracks.length - 1);
  if (!shuffle) return { tracks: [...tracks], index: first };
  const rest = tracks.filter((_, i) => i !== first);
  return { tracks: [tracks[first], ...shuffled(rest, random)], index: 0 };
}

/** Inserts right after the current track (at the start of an empty queue, which then points at the first). */
export function insertNext(q: QueueState, tracks: readonly PlayerTrack[]): QueueState {
  if (tracks.length === 0) return q;
  if (q.index < 0) return { tracks: [...tracks], index: 0 };
  const at = q.index + 1;
  return { tracks: [...q.tracks.slice(0, at), ...tracks, ...q.tracks.slice(at)], index: q.index };
}

/** Appends at the end (an empty queue then points at the first added track). */
export function append(q: QueueState, tracks: readonly PlayerTrack[]): QueueState {
  if (tracks.length === 0) return q;
  return { tracks: [...q.tracks, ...tracks], index: q.index < 0 ? 0 : q.index };
}

/** Moves the entry at `from` to `to`; the current track stays current wherever it ends up. */
export function moveEntry(q: QueueState, from: number, to: number): QueueState {
  const n = q.tracks.length;
  if (from < 0 || from >= n || to < 0 || to >= n || from === to) return q;
  const tracks = [...q.tracks];
  const [moved] = tracks.splice(from, 1);
  tracks.splice(to, 0, moved);
  let index = q.index;
  if (q.index === from) index = to;
  else if (from < q.index && to >= q.index) index--;
  else if (from > q.index && to <= q.index) index++;
  return { tracks, index };
}

/**
 * Removes the entry at `at`. Removing an earlier entry keeps the current track; removing the current one makes the
 * following entry current (or the new last one when it was last).
 */
export function removeEntry(q: QueueState, at: number): QueueState {
  if (at < 0 || at >= q.tracks.length) return q;
  const tracks = q.tracks.filter((_, i) => i !== at);
  if (tracks.length === 0) return EMPTY_QUEUE;
  const index = at < q.index ? q.index - 1 : Math.min(q.index, tracks.length - 1);
  return { tracks, index };
}

/** Shuffles the tracks after the current one (what switching shuffle on does to a playing queue). */
export function shuffleUpcoming(q: QueueState, random: () => number = Math.random): QueueState {
  if (q.index < 0) return q;
  const head = q.tracks.slice(0, q.index + 1);
  return { tracks: [...head, ...shuffled(q.tracks.slice(q.index + 1), random)], index: q.index };
}

/**
 * The index to play after the current one, or -1 to stop. `ended` is true when the track finished by itself: only
 * then does repeat-one replay it (the "next" button always moves on, as in every player).
 */
export function nextIndex(q: QueueState, repeat: RepeatMode, ended: boolean): number {
  if (q.index < 0) return -1;
  if (ended && repeat === "one") return q.index;
  if (q.index + 1 < q.tracks.length) return q.index + 1;
  return repeat === "off" ? -1 : 0;
}

/** Seconds into a track after which "previous" restarts it instead of going back. */
export const RESTART_THRESHOLD_S = 3;

/** The index "previous" goes to: the same track (restart) past the threshold or at the start of the queue. */
export function previousIndex(q: QueueState, repeat: RepeatMode, positionS: number): number {
  if (q.index < 0) return -1;
  if (positionS > RESTART_THRESHOLD_S) return q.index;
  if (q.index > 0) return q.index - 1;
  return repeat === "all" ? q.tracks.length - 1 : 0;
}

/** The cycle of the repeat button: off → all → one → off. */
export function nextRepeatMode(mode: RepeatMode): RepeatMode {
  return mode === "off" ? "all" : mode === "all" ? "one" : "off";
}
