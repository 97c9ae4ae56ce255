/**
 * Requests per client address over a sliding window, for plugin endpoints (Navidrome's
 * `Plugins.EndpointRequestLimit` per `Plugins.EndpointRequestWindow`, one limiter for both
 * mounts and all plugins). Like go-chi/httprate it estimates the sliding window from the
 * current and previous fixed windows, so a burst at a window edge cannot double the rate.
 */
export interface RateLimiter {
  /** Counts one request from `key`; returns 0 when allowed, else the seconds until a retry may succeed. */
  take(key: string, now?: number): number;
}

interface Counts {
  window: number;
  current: number;
  previous: number;
}

/** At most this many addresses are tracked; beyond it stale ones are swept, then the oldest dropped. */
const MAX_KEYS = 50_000;

/** A limiter admitting `limit` requests per `windowMs`; `limit ≤ 0` admits everything. */
export function slidingWindowLimiter(limit: number, windowMs: number): RateLimiter {
  const counts = new Map<string, Counts>();
  return {
    take(key, now = Date.now()) {
      if (limit <= 0 || windowMs <= 0) return 0;
      const window = Math.floor(now / windowMs);
      let c = counts.get(key);
      if (!c) {
        if (counts.size >= MAX_KEYS) sweep(counts, window);
        c = { window, current: 0, previous: 0 };
        counts.set(key, c);
      } else if (c.window !== window) {
        c.previous = c.window === window - 1 ? c.current : 0;
        c.current = 0;
        c.window = window;
      }
      const elapsed = (now % windowMs) / windowMs;
      const estimate = c.previous * (1 - elapsed) + c.current;
      if (estimate + 1 > limit) return Math.max(1, Math.ceil((windowMs - (now % windowMs)) / 1000));
      c.current += 1;
      return 0;
    },
  };
}

function sweep(counts: Map<string, Counts>, window: number): void {
  for (const [k, c] of counts) if (c.window < window - 1) counts.delete(k);
  while (counts.size >= MAX_KEYS) counts.delete(counts.keys().next().value!);
}
