import "server-only";
import { bufferedUserIds, dequeueScrobble, enqueueScrobble, nextScrobble } from "../db/scrobble-buffer";
import { findUserName } from "../db/users";
import { log } from "../log";
import type { Clock } from "../server/clock";
import { toScrobblerError } from "./errors";
import type { Listener, Scrobbler } from "./scrobbler";
import { BackgroundWorker } from "./worker";

export interface RetryPolicy {
  /** First delay after a failed drain (Navidrome: 5 s). */
  minMs: number;
  /** Ceiling of the doubling delays (Navidrome, later: 4 min). */
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { minMs: 5_000, maxMs: 240_000 };

// 5 s << 6 already passes 4 min, so the exponent stops growing there.
const MAX_SHIFT = 6;

/**
 * Delay before the retry that follows `failures` failed drains. Navidrome's later rule
 * (e6597398c): doubling from 5 s, capped at 4 min, reset by a successful drain. We pick
 * it over the reference's fixed 5 s because a service outage is not hammered.
 */
export function backoffDelay(failures: number, policy: RetryPolicy): number {
  return Math.min(policy.minMs * 2 ** Math.min(Math.max(failures, 0), MAX_SHIFT), policy.maxMs);
}

/**
 * Delivery of buffered scrobbles to one service (Navidrome's `bufferedScrobbler`): new
 * scrobbles are written to the buffer, then a worker drains it user by user, oldest play
 * first, loading the service's current instance for every entry. `retry_later` (or the
 * service not being loaded) stops the drain until the back-off delay; any other error
 * discards the entry.
 */
export class BufferedDelivery {
  private failures = 0;
  private readonly worker: BackgroundWorker;

  constructor(
    readonly service: string,
    private readonly load: () => Scrobbler | undefined,
    clock: Clock,
    private readonly retry: RetryPolicy,
    /** Told about every scrobble the service accepted. */
    private readonly onDelivered: (userId: string) => void = () => {},
  ) {
    this.worker = new BackgroundWorker(`scrobble buffer ${service}`, () => this.drain(), clock);
  }

  /** Drains whatever the buffer already holds (entries from before a restart). */
  start(): void {
    this.worker.wake();
  }

  async enqueue(userId: string, mediaFileId: string, playTime: Date): Promise<void> {
    await enqueueScrobble(this.service, userId, mediaFileId, playTime);
    this.worker.wake();
  }

  idle(): Promise<void> {
    return this.worker.idle();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  private async drain(): Promise<void> {
    let delivered = true;
    for (const userId of await bufferedUserIds(this.service)) if (!(await this.drainUser(userId))) delivered = false;
    if (delivered) {
      this.failures = 0;
      return;
    }
    this.worker.wakeAfter(backoffDelay(this.failures, this.retry));
    this.failures = Math.min(this.failures + 1, MAX_SHIFT);
  }

  /** False when the drain must be retried later. */
  private async drainUser(userId: string): Promise<boolean> {
    // Navidrome, later (4652b4660): the user is restored from the buffered id, so plugins
    // get the username instead of the reference point's "".
    const listener = await findListener(userId);
    for (;;) {
      const entry = await nextScrobble(this.service, userId);
      if (!entry) return true;
      if (!entry.track) {
        log.warn({ scrobbler: this.service, userId, entry: entry.id }, "Buffered scrobble's track is gone. Discarding");
        await dequeueScrobble(entry.id);
        continue;
      }
      const scrobbler = this.load();
      if (!scrobbler) {
        log.warn({ scrobbler: this.service }, "Scrobbler not available, will retry later");
        return false;
      }
      try {
        await scrobbler.scrobble(listener, entry.track, entry.playTime);
        this.onDelivered(userId);
      } catch (err) {
        const e = toScrobblerError(err);
        if (e.kind === "retry_later") {
          log.warn({ scrobbler: this.service, userId, track: entry.track.title, err: e.message }, "Could not send scrobble. Will be retried");
          return false;
        }
        log.error({ scrobbler: this.service, userId, track: entry.track.title, err: e.message }, "Error sending scrobble to service. Discarding");
      }
      await dequeueScrobble(entry.id);
    }
  }
}

async function findListener(userId: string): Promise<Listener> {
  const user = await findUserName(userId);
  if (!user) log.warn({ userId }, "Could not load user for buffered scrobble");
  return user ?? { id: userId, userName: "" };
}
