import "server-only";
import { log } from "../log";
import { authThrottle } from "./rate-limit";

/** Who is trying to authenticate, and how (for the throttle and the log). */
export interface Attempt {
  /** Client address (lib/http/client-address), or "in-process". */
  addr: string;
  /** User name as given (any case); API-key attempts use a fixed placeholder. */
  user: string;
  /** Which path: "login", "subsonic-password", "subsonic-token", "api-key". */
  via: string;
}

export type AttemptResult<T> = { ok: true; value: T } | { ok: false; retryAfter: number };

/**
 * Runs one credential check under the shared throttle (lib/auth/rate-limit): refused
 * without checking while throttled (`retryAfter` > 0), failures counted and logged,
 * successes remembered. `verify` returns null for wrong credentials.
 */
export async function throttledAttempt<T>(a: Attempt, verify: () => Promise<T | null> | T | null): Promise<AttemptResult<T>> {
  const wait = authThrottle.check(a.addr, a.user);
  if (wait > 0) {
    log.info({ user: a.user, addr: a.addr, via: a.via, retryAfter: wait }, "authentication attempt refused: too many failures");
    return { ok: false, retryAfter: wait };
  }
  const value = await verify();
  if (value === null) {
    authThrottle.recordFailure(a.addr, a.user);
    log.warn({ user: a.user, addr: a.addr, via: a.via }, "failed authentication");
    return { ok: false, retryAfter: 0 };
  }
  authThrottle.recordSuccess(a.addr, a.user);
  return { ok: true, value };
}

/** The message shown while throttled (native and Subsonic alike). */
export function throttledMessage(retryAfter: number): string {
  return `Too many failed authentication attempts; try again in ${retryAfter} s`;
}
