import "server-only";
import { log } from "../log";
import type { Clock } from "../server/clock";
import type { PlaybackSession, Scrobbler } from "./scrobbler";
import { BackgroundWorker } from "./worker";

/**
 * Playback reports waiting for delivery, in the order they were accepted. A worker sends
 * each batch to every authorised scrobbler, looking the scrobblers up once per batch;
 * errors are logged, never retried (Navidrome's `playbackReportWorker`).
 */
export class PlaybackReportQueue {
  private pending: PlaybackSession[] = [];
  private readonly worker: BackgroundWorker;

  constructor(
    private readonly active: () => [string, Scrobbler][],
    clock: Clock,
  ) {
    this.worker = new BackgroundWorker("playback reports", () => this.drain(), clock);
  }

  /** Queues a snapshot of the session as it is now. */
  enqueue(session: PlaybackSession): void {
    this.pending.push({ ...session });
    this.worker.wake();
  }

  idle(): Promise<void> {
    return this.worker.idle();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  private async drain(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    const scrobblers = this.active();
    for (const report of batch) {
      const listener = { id: report.userId, userName: report.userName };
      for (const [name, s] of scrobblers) {
        if (!(await s.isAuthorized(listener))) continue;
        try {
          await s.playbackReport(report);
        } catch (err) {
          log.error({ scrobbler: name, track: report.track.title, state: report.state, err: (err as Error).message }, "Error sending PlaybackReport");
        }
      }
    }
  }
}
