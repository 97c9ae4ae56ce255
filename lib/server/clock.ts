/** A cancellable timer. */
export interface Timer {
  cancel(): void;
}

/**
 * Time for background work that waits (scrobble sessions and retries, playlist refreshes).
 * Injected so tests drive the waits instead of sleeping through them.
 */
export interface Clock {
  now(): Date;
  /** Runs `fn` once after `ms`; the timer never keeps the process alive. */
  setTimer(fn: () => void, ms: number): Timer;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(fn, ms) {
    // setTimeout overflows past 2^31-1 ms (about 24.8 days) and would fire at once; chain instead.
    const MAX = 2 ** 31 - 1;
    let handle: ReturnType<typeof setTimeout>;
    const arm = (left: number) => {
      handle = setTimeout(() => (left > MAX ? arm(left - MAX) : fn()), Math.min(left, MAX));
      handle.unref?.();
    };
    arm(ms);
    return { cancel: () => clearTimeout(handle) };
  },
};
