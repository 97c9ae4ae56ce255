import "server-only";
import type { MediaFile } from "../db/rows";
import { log } from "../log";
import type { Clock } from "../server/clock";
import { UNKNOWN_ARTIST, type Listener, type Scrobbler } from "./scrobbler";
import { BackgroundWorker } from "./worker";

interface NowPlayingEntry {
  listener: Listener;
  track: MediaFile;
  positionSeconds: number;
}

/**
 * NowPlaying updates for external services, one pending entry per player: a newer update
 * for the same player replaces the one not yet sent. A worker sends them in the
 * background; errors are logged and never retried (Navidrome's `nowPlayingWorker`).
 */
export class NowPlayingQueue {
  private pending = new Map<string, NowPlayingEntry>();
  private readonly worker: BackgroundWorker;

  constructor(
    private readonly active: () => [string, Scrobbler][],
    clock: Clock,
  ) {
    this.worker = new BackgroundWorker("now playing", () => this.drain(), clock);
  }

  enqueue(playerId: string, entry: NowPlayingEntry): void {
    this.pending.set(playerId, entry);
    this.worker.wake();
  }

  idle(): Promise<void> {
    return this.worker.idle();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  private async drain(): Promise<void> {
    const entries = [...this.pending.values()];
    this.pending = new Map();
    if (!entries.length) return;
    const scrobblers = this.active();
    for (const e of entries) await sendNowPlaying(scrobblers, e);
  }
}

async function sendNowPlaying(scrobblers: [string, Scrobbler][], { listener, track, positionSeconds }: NowPlayingEntry): Promise<void> {
  if (track.artist === UNKNOWN_ARTIST) {
    log.debug({ track: track.title }, "Ignoring external NowPlaying update for track with unknown artist");
    return;
  }
  for (const [name, s] of scrobblers) {
    if (!(await s.isAuthorized(listener))) continue;
    try {
      await s.nowPlaying(listener, track, positionSeconds);
    } catch (err) {
      log.error({ scrobbler: name, track: track.title, err: (err as Error).message }, "Error sending NowPlaying");
    }
  }
}
