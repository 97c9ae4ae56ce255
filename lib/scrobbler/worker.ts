import { log } from "../log";
import type { Clock, Timer } from "../server/clock";

/**
 * A background job that runs when woken, never twice at once. A wake while it runs makes
 * it run again right after (Go's buffered one-slot signal channel); `wakeAfter` schedules
 * a later run (retry back-off), which an earlier wake supersedes.
 */
export class BackgroundWorker {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: Timer | null = null;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly job: () => Promise<void>,
    private readonly clock: Clock,
  ) {}

  wake(): void {
    if (this.stopped) return;
    this.timer?.cancel();
    this.timer = null;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop();
  }

  wakeAfter(ms: number): void {
    if (this.stopped) return;
    this.timer?.cancel();
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.wake();
    }, ms);
  }

  /** Resolves once no run is in progress (and none was asked for meanwhile). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    await this.idle();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        try {
          await this.job();
        } catch (err) {
          // A failed run is logged; the worker stays usable for the next wake.
          log.error({ worker: this.name, err: (err as Error).message }, "background scrobbler worker failed");
        }
      } while (this.again && !this.stopped);
    } finally {
      this.running = null;
    }
  }
}
