import type { MediaFile } from "../db/rows";

/** The states a client reports (`reportPlayback`), plus `expired`, which only the server produces. */
export const REPORTED_STATES = ["starting", "playing", "paused", "stopped"] as const;
export type ReportedState = (typeof REPORTED_STATES)[number];
export type PlaybackState = ReportedState | "expired";

/** Whose play it is: plugins see the user name, scopes are kept by user id. */
export interface Listener {
  id: string;
  userName: string;
}

/**
 * One player's current playback (Navidrome's `PlaybackSession`), keyed by client id. It
 * is what `getNowPlaying` lists and what playback reports carry to scrobblers.
 */
export interface PlaybackSession {
  track: MediaFile;
  /** When playback began: the `starting` report, or a `playing` report's time minus its position. */
  start: Date;
  userId: string;
  userName: string;
  /** `X-ND-Client-Unique-Id`, else the registered player id. */
  playerId: string;
  /** The Subsonic `c` parameter. */
  playerName: string;
  state: PlaybackState;
  positionMs: number;
  playbackRate: number;
  /** Time of the report (or of the expiry); sent to plugins as Unix seconds. */
  lastReport: Date;
}

/**
 * An external scrobbling service (Navidrome's `Scrobbler` interface). Owned here and
 * implemented by the plugin adapter. Failures are thrown as `ScrobblerError`.
 */
export interface Scrobbler {
  /** The admin's user scope first, then the service's own answer; any failure means no. */
  isAuthorized(listener: Listener): Promise<boolean>;
  nowPlaying(listener: Listener, track: MediaFile, positionSeconds: number): Promise<void>;
  scrobble(listener: Listener, track: MediaFile, playTime: Date): Promise<void>;
  /** Services that do not take playback reports treat them as delivered. */
  playbackReport(session: PlaybackSession): Promise<void>;
}

/** Where the play tracker finds the scrobblers currently available (Navidrome's `PluginLoader`). */
export interface ScrobblerSource {
  /** Names (plugin ids) of the active scrobblers; read again on every dispatch. */
  names(): string[];
  /** The current instance of a scrobbler, or undefined while it is not loaded. */
  get(name: string): Scrobbler | undefined;
}

/** The scanner's display artist for untagged tracks; such tracks are never sent as NowPlaying or Scrobble. */
export const UNKNOWN_ARTIST = "[Unknown Artist]";
