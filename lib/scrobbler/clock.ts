/** A cancellable timer. */
export interface Timer {
  cancel(): void;
}

/**
 * Time as the scrobbler sees it. Injected so tests can shorten or drive the waits
 * (session expiry, retry back-off) instead of sleeping through them.
 */
export interface Clock {
  now(): Date;
  /** Runs `fn` once after `ms`; the timer never keeps the process alive. */
  setTimer(fn: () => void, ms: number): Timer;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
};
