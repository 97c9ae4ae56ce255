import "server-only";
import type { MediaFile, User } from "../db/rows";
import { log } from "../log";
import { BufferedDelivery, DEFAULT_RETRY, type RetryPolicy } from "./buffered-delivery";
import { discardScrobbles } from "../db/scrobble-buffer";
import { systemClock, type Clock } from "../server/clock";
import { NowPlayingQueue } from "./now-playing";
import { recordPlay } from "./play-count";
import { PlaybackReportQueue } from "./playback-reports";
import { UNKNOWN_ARTIST, type Listener, type PlaybackSession, type ReportedState, type Scrobbler, type ScrobblerSource } from "./scrobbler";
import { PlaybackSessions, remainingTtlMs } from "./sessions";
import { getTrackForUserOrThrow } from "./tracks";

export interface PlayTrackerOptions {
  scrobblers: ScrobblerSource;
  clock?: Clock;
  /** Added to a playing session's remaining time before it expires (Navidrome: 5 s). */
  expiryGraceMs?: number;
  /** Life of a paused session (Navidrome: 30 min). */
  pausedTtlMs?: number;
  retry?: RetryPolicy;
  /** Loads a track the user may see, or throws NOT_FOUND. */
  findTrack?: (user: ReportingUser, id: string) => Promise<MediaFile>;
}

export type ReportingUser = Pick<User, "id" | "userName" | "isAdmin">;

/** Who reports, and through which player. */
export interface PlaybackContext {
  user: ReportingUser;
  /** The player's "scrobble to external services" flag. */
  scrobbleEnabled: boolean;
  /** Session key: `X-ND-Client-Unique-Id`, else the registered player id. */
  clientId: string;
  /** The Subsonic `c` parameter. */
  clientName: string;
}

export interface ReportPlaybackParams {
  mediaId: string;
  positionMs: number;
  state: ReportedState;
  /** Finite and > 0 (checked by the endpoint). */
  playbackRate: number;
  /** Only update the now-playing state: no play count, no scrobble. */
  ignoreScrobble: boolean;
}

export interface Submission {
  trackId: string;
  timestamp: Date;
}

const SCROBBLE_THRESHOLD_CAP_MS = 240_000;

/**
 * Turns what clients report into play counts, scrobbles and playback reports (Navidrome's
 * `playTracker`): playback sessions per client with their expiry, the NowPlaying and
 * PlaybackReport queues, and one buffered delivery per scrobbler service.
 */
export class PlayTracker {
  private readonly clock: Clock;
  private readonly sessions: PlaybackSessions;
  private readonly nowPlayingQueue: NowPlayingQueue;
  private readonly reports: PlaybackReportQueue;
  private readonly deliveries = new Map<string, BufferedDelivery>();
  /** Users whose scrobbles each service accepted since start (admin page). */
  private readonly receivers = new Map<string, Set<string>>();
  private readonly graceMs: number;
  private readonly pausedTtlMs: number;
  private readonly retry: RetryPolicy;
  private readonly findTrack: (user: ReportingUser, id: string) => Promise<MediaFile>;

  constructor(private readonly opts: PlayTrackerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.graceMs = opts.expiryGraceMs ?? 5_000;
    this.pausedTtlMs = opts.pausedTtlMs ?? 30 * 60_000;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.findTrack = opts.findTrack ?? getTrackForUserOrThrow;
    this.sessions = new PlaybackSessions(this.clock, (s) => this.onExpired(s));
    this.nowPlayingQueue = new NowPlayingQueue(() => this.activeScrobblers(), this.clock);
    this.reports = new PlaybackReportQueue(() => this.activeScrobblers(), this.clock);
  }

  /**
   * Starts a delivery worker for every loaded scrobbler, so scrobbles buffered before a
   * restart are sent without waiting for the next play (Navidrome only creates plugin
   * workers on the first dispatch after start-up).
   */
  start(): void {
    this.activeScrobblers();
  }

  /** Stops the workers; sessions are dropped without `expired` reports, buffered scrobbles stay. */
  async stop(): Promise<void> {
    this.sessions.clear();
    await Promise.all([this.nowPlayingQueue.stop(), this.reports.stop(), ...[...this.deliveries.values()].map((d) => d.stop())]);
    this.deliveries.clear();
  }

  /** Resolves when nothing is queued or being sent (tests). */
  async idle(): Promise<void> {
    await Promise.all([this.nowPlayingQueue.idle(), this.reports.idle()]);
    await Promise.all([...this.deliveries.values()].map((d) => d.idle()));
  }

  /** `reportPlayback` (and legacy `scrobble?submission=false`, as state `playing`). */
  async reportPlayback(ctx: PlaybackContext, p: ReportPlaybackParams): Promise<void> {
    const now = this.clock.now();
    let accepted = true;
    if (p.state === "starting") accepted = await this.starting(ctx, p, now);
    else if (p.state === "stopped") accepted = await this.stopped(ctx, p, now);
    else await this.playingOrPaused(ctx, p, now);
    if (!accepted) return;

    // NowPlaying needs the player's scrobble flag but, as in Navidrome later (bc107d1ce)
    // and the OpenSubsonic spec, not `ignoreScrobble`, which only suppresses the scrobble.
    if (ctx.scrobbleEnabled && (p.state === "starting" || p.state === "playing")) {
      const session = this.sessions.get(ctx.clientId);
      if (session) this.nowPlayingQueue.enqueue(ctx.clientId, { listener: listenerOf(ctx), track: session.track, positionSeconds: Math.trunc(p.positionMs / 1000) });
    }
  }

  /** `scrobble?submission=true`: counts each play and buffers it for every authorised scrobbler. */
  async submit(ctx: PlaybackContext, submissions: Submission[]): Promise<void> {
    if (!ctx.scrobbleEnabled) log.debug({ user: ctx.user.userName, player: ctx.clientName }, "External scrobbling disabled for this player");
    for (const s of submissions) {
      let track: MediaFile;
      try {
        track = await this.findTrack(ctx.user, s.trackId);
      } catch (err) {
        log.error({ id: s.trackId, user: ctx.user.userName, err: (err as Error).message }, "Cannot find track for scrobbling");
        continue;
      }
      try {
        await recordPlay(ctx.user.id, track, s.timestamp);
      } catch (err) {
        log.error({ id: track.id, user: ctx.user.userName, err: (err as Error).message }, "Error updating play counts");
        continue;
      }
      log.info({ title: track.title, artist: track.artist, user: ctx.user.userName, timestamp: s.timestamp }, "Scrobbled");
      if (ctx.scrobbleEnabled) await this.dispatchScrobble(listenerOf(ctx), track, s.timestamp);
    }
  }

  /** Current sessions, newest first; a playing session's position is estimated from its last report. */
  nowPlaying(): PlaybackSession[] {
    const now = this.clock.now().getTime();
    return this.sessions
      .values()
      .sort((a, b) => b.start.getTime() - a.start.getTime())
      .map((s) => {
        if (s.state !== "playing") return { ...s };
        const estimated = s.positionMs + Math.trunc((now - s.lastReport.getTime()) * s.playbackRate);
        return { ...s, positionMs: Math.min(estimated, durationMs(s.track)) };
      });
  }

  /** How many users' scrobbles `service` has accepted since the tracker started. */
  usersReceiving(service: string): number {
    return this.receivers.get(service)?.size ?? 0;
  }

  /**
   * A removed plugin's buffered scrobbles are dropped, so a later plugin reusing its id
   * never receives them (Navidrome, later: f48943c05). Disabling keeps them.
   */
  async discardBuffered(service: string): Promise<void> {
    const delivery = this.deliveries.get(service);
    this.deliveries.delete(service);
    await delivery?.stop();
    const count = await discardScrobbles(service);
    if (count) log.info({ scrobbler: service, count }, "Discarded buffered scrobbles of a removed plugin");
  }

  private async starting(ctx: PlaybackContext, p: ReportPlaybackParams, now: Date): Promise<boolean> {
    // Navidrome, later (27f021039): clients may send starting/playing out of order; a late
    // `starting` must not reset a session that is already playing the same track.
    if (this.isPlaying(ctx.clientId, p.mediaId)) return false;
    const track = await this.findTrack(ctx.user, p.mediaId);
    if (this.isPlaying(ctx.clientId, p.mediaId)) return false;
    const session = { ...sessionBase(ctx), track, start: now, state: p.state, positionMs: p.positionMs, playbackRate: p.playbackRate, lastReport: now };
    this.sessions.put(ctx.clientId, session, remainingTtlMs(track.duration, p.positionMs, p.playbackRate, this.graceMs));
    this.reports.enqueue(session);
    return true;
  }

  private async playingOrPaused(ctx: PlaybackContext, p: ReportPlaybackParams, now: Date): Promise<void> {
    let session = this.sessions.get(ctx.clientId);
    if (!session || session.track.id !== p.mediaId) {
      const track = await this.findTrack(ctx.user, p.mediaId);
      session = { ...sessionBase(ctx), track, start: new Date(now.getTime() - p.positionMs), state: p.state, positionMs: 0, playbackRate: 1, lastReport: now };
    }
    session = { ...session, state: p.state, positionMs: p.positionMs, playbackRate: p.playbackRate, lastReport: now };
    const ttl = p.state === "playing" ? remainingTtlMs(session.track.duration, p.positionMs, p.playbackRate, this.graceMs) : this.pausedTtlMs;
    this.sessions.put(ctx.clientId, session, ttl);
    this.reports.enqueue(session);
  }

  /**
   * `stopped`: past the threshold, min(50 % of the track, 240 s), the play is counted and
   * scrobbled with the stop time; then the session ends with a `stopped` report. False
   * when the stop is ignored (a late stop for a previous track).
   */
  private async stopped(ctx: PlaybackContext, p: ReportPlaybackParams, now: Date): Promise<boolean> {
    const current = this.sessions.get(ctx.clientId);
    // At most one track lookup per report: the session already holds its track.
    let track = current?.track.id === p.mediaId ? current.track : undefined;
    if (!p.ignoreScrobble && ctx.scrobbleEnabled) {
      track ??= await this.findTrack(ctx.user, p.mediaId);
      const dMs = durationMs(track);
      if (p.positionMs >= Math.min(Math.trunc((dMs * 50) / 100), SCROBBLE_THRESHOLD_CAP_MS)) {
        try {
          await recordPlay(ctx.user.id, track, now);
        } catch (err) {
          log.warn({ id: track.id, user: ctx.user.userName, err: (err as Error).message }, "Error updating play counts");
        }
        await this.dispatchScrobble(listenerOf(ctx), track, now);
      }
    }
    // Navidrome, later (27f021039): a late stop for a previous track must not end the
    // current session nor reach playback reporters.
    const latest = this.sessions.get(ctx.clientId);
    if (latest && latest.track.id !== p.mediaId) return false;
    this.sessions.remove(ctx.clientId);
    track ??= await this.findTrack(ctx.user, p.mediaId);
    this.reports.enqueue({ ...sessionBase(ctx), track, start: latest?.start ?? now, state: "stopped", positionMs: p.positionMs, playbackRate: p.playbackRate, lastReport: now });
    return true;
  }

  private onExpired(session: PlaybackSession): void {
    log.debug({ clientId: session.playerId, mediaId: session.track.id, state: session.state, user: session.userName }, "PlaybackSession expired");
    if (session.state !== "stopped") this.reports.enqueue({ ...session, state: "expired", lastReport: this.clock.now() });
  }

  private async dispatchScrobble(listener: Listener, track: MediaFile, playTime: Date): Promise<void> {
    if (track.artist === UNKNOWN_ARTIST) {
      log.debug({ track: track.title }, "Ignoring external Scrobble for track with unknown artist");
      return;
    }
    for (const [name, s] of this.activeScrobblers()) {
      if (!(await s.isAuthorized(listener))) continue;
      try {
        await this.deliveries.get(name)?.enqueue(listener.id, track.id, playTime);
      } catch (err) {
        log.error({ scrobbler: name, track: track.title, err: (err as Error).message }, "Error buffering Scrobble");
      }
    }
  }

  /**
   * The scrobblers loaded now, each with its delivery worker: new services get one (which
   * drains what is already buffered for them), services gone stop theirs.
   */
  private activeScrobblers(): [string, Scrobbler][] {
    const names = this.opts.scrobblers.names();
    for (const name of names) {
      if (this.deliveries.has(name)) continue;
      const delivery = new BufferedDelivery(name, () => this.opts.scrobblers.get(name), this.clock, this.retry, (userId) => {
        if (!this.receivers.has(name)) this.receivers.set(name, new Set());
        this.receivers.get(name)!.add(userId);
      });
      this.deliveries.set(name, delivery);
      delivery.start();
    }
    for (const [name, delivery] of this.deliveries) {
      if (names.includes(name)) continue;
      this.deliveries.delete(name);
      void delivery.stop();
    }
    return names.flatMap((name): [string, Scrobbler][] => {
      const s = this.opts.scrobblers.get(name);
      return s ? [[name, s]] : [];
    });
  }

  private isPlaying(clientId: string, mediaId: string): boolean {
    const s = this.sessions.get(clientId);
    return s?.track.id === mediaId && s.state === "playing";
  }
}

const listenerOf = (ctx: PlaybackContext): Listener => ({ id: ctx.user.id, userName: ctx.user.userName });

const sessionBase = (ctx: PlaybackContext) => ({ userId: ctx.user.id, userName: ctx.user.userName, playerId: ctx.clientId, playerName: ctx.clientName });

/** Go: `int64(mf.Duration * 1000)` with a float32 duration. */
const durationMs = (track: MediaFile) => Math.trunc(Math.fround(Math.fround(track.duration) * 1000));
