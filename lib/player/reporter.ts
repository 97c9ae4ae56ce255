/**
 * Playback reports (OpenSubsonic `reportPlayback`) for the web player, as Navidrome's UI sends them: `starting` when
 * a track first plays, `playing` on resume and as a heartbeat while it plays, `paused`, and `stopped` when it ends
 * or is left. The server derives now-playing from starting/playing and scrobbles from `stopped` once the position
 * passes min(50 %, 4 min) (contract §3.2), so the player sends no separate `scrobble` call: that would count twice.
 *
 * No audio and no network here: the sender, the position and the timer are injected, so the state machine and the
 * heartbeat are unit-tested with a fake clock.
 */
export type ReportState = "starting" | "playing" | "paused" | "stopped";

export interface PlaybackReport {
  mediaId: string;
  state: ReportState;
  positionMs: number;
}

export interface ReporterTimer {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface ReporterOptions {
  /** Delivers one report; the reporter sends them one at a time, in order, and ignores failures. */
  send(report: PlaybackReport): Promise<unknown>;
  /** Current position of the playing track in seconds (read for heartbeats). */
  position(): number;
  /** Milliseconds between `playing` heartbeats. */
  heartbeatMs?: number;
  timer?: ReporterTimer;
}

/** Navidrome's web player reports every 30 s; a session expires after remaining time + 5 s without one. */
export const DEFAULT_HEARTBEAT_MS = 30_000;

/** The server's scrobble threshold (contract §3.2): half the track or four minutes, whichever comes first. */
export function scrobbleThresholdMs(durationMs: number): number {
  return Math.min(durationMs / 2, 240_000);
}

export class PlaybackReporter {
  private mediaId: string | null = null;
  private heartbeat: unknown = null;
  private chain: Promise<void> = Promise.resolve();
  private readonly timer: ReporterTimer;
  private readonly heartbeatMs: number;

  constructor(private readonly opts: ReporterOptions) {
    this.timer = opts.timer ?? { setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>) };
    this.heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  }

  /** The track a session is open for (started and not yet stopped), if any. */
  get current(): string | null {
    return this.mediaId;
  }

  /** The audio started or resumed: `starting` for a track not yet reported, else `playing`; heartbeats run. */
  played(mediaId: string, positionS: number): void {
    if (this.mediaId !== null && this.mediaId !== mediaId) this.stopped(positionS);
    const state = this.mediaId === mediaId ? "playing" : "starting";
    this.mediaId = mediaId;
    this.enqueue({ mediaId, state, positionMs: toMs(positionS) });
    this.startHeartbeat();
  }

  /** The listener paused (not the end of the track: that is {@link stopped}). */
  paused(positionS: number): void {
    this.stopHeartbeat();
    if (this.mediaId === null) return;
    this.enqueue({ mediaId: this.mediaId, state: "paused", positionMs: toMs(positionS) });
  }

  /** The track ended, was skipped, removed or replaced: closes the session (the server may scrobble it). */
  stopped(positionS: number): void {
    this.stopHeartbeat();
    if (this.mediaId === null) return;
    this.enqueue({ mediaId: this.mediaId, state: "stopped", positionMs: toMs(positionS) });
    this.mediaId = null;
  }

  /** Stops the heartbeat without reporting (the page is going away; the server lets the session expire). */
  dispose(): void {
    this.stopHeartbeat();
  }

  /** Resolves when every report queued so far has been sent (tests, and before a page unload save). */
  flushed(): Promise<void> {
    return this.chain;
  }

  private enqueue(report: PlaybackReport): void {
    this.chain = this.chain.then(() => this.opts.send(report)).then(
      () => undefined,
      () => undefined,
    );
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeat = this.timer.setInterval(() => {
      if (this.mediaId !== null) this.enqueue({ mediaId: this.mediaId, state: "playing", positionMs: toMs(this.opts.position()) });
    }, this.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) this.timer.clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}

function toMs(seconds: number): number {
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : 0;
}
