import "server-only";
import { remember } from "../server/remember";
import { PlayTracker, type PlayTrackerOptions } from "./play-tracker";

export { PlayTracker } from "./play-tracker";
export type { PlaybackContext, PlayTrackerOptions, ReportPlaybackParams, Submission } from "./play-tracker";
export type { Listener, PlaybackSession, PlaybackState, ReportedState, Scrobbler, ScrobblerSource } from "./scrobbler";

// On globalThis: boot (instrumentation) starts it, route handlers use it.
const holder = remember("playTracker", () => ({ tracker: null as PlayTracker | null }));

/** Creates and starts the process's play tracker (boot; tests restart it with their own options). */
export function startPlayTracker(opts: PlayTrackerOptions): PlayTracker {
  if (holder.tracker) return holder.tracker;
  const tracker = new PlayTracker(opts);
  holder.tracker = tracker;
  tracker.start();
  return tracker;
}

/** The running play tracker; null before boot. */
export function playTracker(): PlayTracker | null {
  return holder.tracker;
}

export async function stopPlayTracker(): Promise<void> {
  const tracker = holder.tracker;
  holder.tracker = null;
  await tracker?.stop();
}
