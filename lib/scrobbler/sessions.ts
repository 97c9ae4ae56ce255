import type { Clock, Timer } from "../server/clock";
import type { PlaybackSession } from "./scrobbler";

interface Slot {
  session: PlaybackSession;
  timer: Timer;
}

/**
 * Playback sessions by client id, each with a time to live. When one lapses without
 * being replaced or removed, `onExpire` gets it (Navidrome's TTL cache `OnExpiration`);
 * replacing or removing a session never reports it.
 */
export class PlaybackSessions {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly clock: Clock,
    private readonly onExpire: (session: PlaybackSession) => void,
  ) {}

  get(clientId: string): PlaybackSession | undefined {
    return this.slots.get(clientId)?.session;
  }

  put(clientId: string, session: PlaybackSession, ttlMs: number): void {
    this.slots.get(clientId)?.timer.cancel();
    const timer = this.clock.setTimer(() => {
      if (this.slots.get(clientId)?.timer !== timer) return;
      this.slots.delete(clientId);
      this.onExpire(session);
    }, ttlMs);
    this.slots.set(clientId, { session, timer });
  }

  remove(clientId: string): void {
    this.slots.get(clientId)?.timer.cancel();
    this.slots.delete(clientId);
  }

  values(): PlaybackSession[] {
    return [...this.slots.values()].map((s) => s.session);
  }

  /** Drops every session without reporting it (server shutdown). */
  clear(): void {
    for (const s of this.slots.values()) s.timer.cancel();
    this.slots.clear();
  }
}

/** Time before the server assumes playback ended without a report: `(duration − position) / rate`, whole seconds, plus a grace. */
export function remainingTtlMs(durationSeconds: number, positionMs: number, rate: number, graceMs: number): number {
  const r = rate > 0 ? rate : 1;
  // Go: int64(float32 duration × 1000), then truncating division to whole seconds.
  const remainingMs = (Math.trunc(Math.fround(Math.fround(durationSeconds) * 1000)) - positionMs) / r;
  return Math.max(Math.trunc(remainingMs / 1000), 0) * 1000 + graceMs;
}
