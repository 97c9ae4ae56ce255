import { remember } from "../server/remember";

/**
 * Fixed-window failure counter for login attempts, per client address and per user
 * name, so neither spraying one account from many addresses nor many accounts from
 * one address gets unlimited guesses.
 */
export interface RateLimiter {
  /** Seconds to wait before another attempt is allowed, or 0. */
  retryAfter(keys: string[], now?: number): number;
  recordFailure(keys: string[], now?: number): void;
  reset(keys: string[]): void;
}

export function createRateLimiter(maxFailures: number, windowMs: number): RateLimiter {
  const buckets = new Map<string, { count: number; until: number }>();
  const live = (k: string, now: number) => {
    const b = buckets.get(k);
    if (b && b.until <= now) buckets.delete(k);
    return buckets.get(k);
  };
  return {
    retryAfter(keys, now = Date.now()) {
      let wait = 0;
      for (const k of keys) {
        const b = live(k, now);
        if (b && b.count >= maxFailures) wait = Math.max(wait, Math.ceil((b.until - now) / 1000));
      }
      return wait;
    },
    recordFailure(keys, now = Date.now()) {
      for (const k of keys) {
        const b = live(k, now) ?? { count: 0, until: now + windowMs };
        b.count += 1;
        buckets.set(k, b);
      }
      if (buckets.size > 10_000) for (const [k, b] of buckets) if (b.until <= now) buckets.delete(k);
    },
    reset(keys) {
      for (const k of keys) buckets.delete(k);
    },
  };
}

/** The login limiter: 10 failures per 5 minutes per address or user name. */
export const loginLimiter = remember("loginLimiter", () => createRateLimiter(10, 5 * 60_000));
