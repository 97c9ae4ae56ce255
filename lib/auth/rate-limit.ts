import { remember } from "../server/remember";

/**
 * Throttling of failed authentication (web login, Subsonic `p`/`enc:`/`t`+`s`, API keys).
 *
 * The rule it keeps: one user's failures never lock out another, and an attacker who
 * can pick their address (a botnet) or their target (spraying) still gets few guesses.
 *
 * - **(address, user) pair**: 10 failures in 5 minutes lock that pair until the window
 *   ends. Only the guesser's own address is locked for that account; the owner at home
 *   and everybody else at the guesser's address are untouched.
 * - **user, any address**: past 30 failures in 15 minutes the account is *slowed*, not
 *   locked: attempts from addresses that have not signed in as this user in the last 30
 *   days get one try per 3 seconds between them. A distributed guesser is cut to about
 *   20 guesses a minute; the owner's known devices are not slowed at all, and a new
 *   device waits seconds, never minutes.
 * - **address, distinct users** (spraying one password over many accounts): past 20
 *   distinct failing user names in 15 minutes the address is slowed the same way, again
 *   except for user names that have signed in from it.
 *
 * State is in memory (per process), bounded in size; a restart forgets it, which only
 * ever errs toward letting someone try again.
 */
/** Limits of the throttle; windows are fixed (they start at the first failure). */
export interface ThrottleOptions {
  pairMax: number;
  pairWindowMs: number;
  userMax: number;
  userWindowMs: number;
  sprayMax: number;
  sprayWindowMs: number;
  slowIntervalMs: number;
  knownForMs: number;
  /** Entries kept per table before expired ones are swept and the oldest dropped. */
  maxEntries: number;
}

/** The limits described above. */
export const DEFAULT_THROTTLE: ThrottleOptions = {
  pairMax: 10,
  pairWindowMs: 5 * 60_000,
  userMax: 30,
  userWindowMs: 15 * 60_000,
  sprayMax: 20,
  sprayWindowMs: 15 * 60_000,
  slowIntervalMs: 3_000,
  knownForMs: 30 * 24 * 3600_000,
  maxEntries: 50_000,
};

/** Failure bookkeeping shared by every authentication path (see lib/auth/attempt). */
export interface AuthThrottle {
  /** Seconds to wait before `user` may try from `addr`, or 0 (the attempt may go ahead). */
  check(addr: string, user: string, now?: number): number;
  recordFailure(addr: string, user: string, now?: number): void;
  recordSuccess(addr: string, user: string, now?: number): void;
}

interface Window {
  until: number;
  count: number;
}

/** A Map that sweeps expired entries, then drops the oldest, once it grows past `max`. */
function boundedMap<V extends { until: number }>(max: number) {
  const m = new Map<string, V>();
  return {
    get(k: string, now: number): V | undefined {
      const v = m.get(k);
      if (v && v.until <= now) m.delete(k);
      return v && v.until > now ? v : undefined;
    },
    set(k: string, v: V, now: number) {
      m.delete(k);
      m.set(k, v);
      if (m.size <= max) return;
      for (const [key, val] of m) if (val.until <= now) m.delete(key);
      for (const key of m.keys()) {
        if (m.size <= max) break;
        m.delete(key);
      }
    },
    delete: (k: string) => m.delete(k),
  };
}

/** How stale a "known" mark may get before a success renews it. */
const KNOWN_REFRESH_MS = 60_000;

/** A throttle with its own state; tests pass small limits and their own clock (`now`). */
export function createAuthThrottle(opts: Partial<ThrottleOptions> = {}): AuthThrottle {
  const o = { ...DEFAULT_THROTTLE, ...opts };
  const pairs = boundedMap<Window>(o.maxEntries);
  const users = boundedMap<Window>(o.maxEntries);
  const sprays = boundedMap<{ until: number; users: Set<string> }>(o.maxEntries);
  const known = boundedMap<{ until: number }>(o.maxEntries);
  const slowSlots = boundedMap<{ until: number }>(o.maxEntries);
  const pairKey = (addr: string, user: string) => `${addr}\n${user.toLowerCase()}`;

  /** One attempt per `slowIntervalMs` per slowed key: the slot is taken when granted. */
  const takeSlot = (key: string, now: number): number => {
    const slot = slowSlots.get(key, now);
    if (slot) return Math.max(1, Math.ceil((slot.until - now) / 1000));
    slowSlots.set(key, { until: now + o.slowIntervalMs }, now);
    return 0;
  };

  const bump = (map: ReturnType<typeof boundedMap<Window>>, key: string, windowMs: number, now: number) => {
    const w = map.get(key, now) ?? { until: now + windowMs, count: 0 };
    w.count += 1;
    map.set(key, w, now);
  };

  return {
    check(addr, user, now = Date.now()) {
      const key = pairKey(addr, user);
      const pair = pairs.get(key, now);
      if (pair && pair.count >= o.pairMax) return Math.ceil((pair.until - now) / 1000);
      if (known.get(key, now)) return 0;
      const u = user.toLowerCase();
      if ((users.get(u, now)?.count ?? 0) >= o.userMax) {
        const wait = takeSlot(`user\n${u}`, now);
        if (wait) return wait;
      }
      if ((sprays.get(addr, now)?.users.size ?? 0) >= o.sprayMax) return takeSlot(`addr\n${addr}`, now);
      return 0;
    },
    recordFailure(addr, user, now = Date.now()) {
      const u = user.toLowerCase();
      bump(pairs, pairKey(addr, u), o.pairWindowMs, now);
      bump(users, u, o.userWindowMs, now);
      const spray = sprays.get(addr, now) ?? { until: now + o.sprayWindowMs, users: new Set<string>() };
      if (spray.users.size < o.sprayMax) spray.users.add(u);
      sprays.set(addr, spray, now);
    },
    recordSuccess(addr, user, now = Date.now()) {
      const key = pairKey(addr, user);
      pairs.delete(key);
      // Every authenticated request lands here: an entry renewed within the last minute is
      // left as it is (a 30-day "known" mark loses nothing by being a minute older).
      const mark = known.get(key, now);
      if (mark && mark.until - now > o.knownForMs - KNOWN_REFRESH_MS) return;
      known.set(key, { until: now + o.knownForMs }, now);
    },
  };
}

/** The process-wide throttle shared by every authentication path. */
export const authThrottle = remember("authThrottle", () => createAuthThrottle());
