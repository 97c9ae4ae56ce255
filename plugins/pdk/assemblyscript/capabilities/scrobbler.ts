// Scrobbler capability (contract §3.2): now playing, scrobbles and playback reports for the
// users an admin allowed. A scrobbler must declare the `users` permission.
//
//   export * from "@tessitura/ndp-pdk/exports/scrobbler";
//   class MyScrobbler extends Scrobbler { … }
//   registerScrobbler(new MyScrobbler());
//
// The server asks isAuthorized before every event. Report failures with fail() and one of the
// scrobblerError kinds: only RETRY_LATER makes the server keep a scrobble and try again.
import { notImplemented } from "../lib/call";
import { JSONValue } from "../lib/json";
import { TrackInfo } from "../lib/types";

/** Error kinds the server looks for in a scrobbler's error text. */
export const NOT_AUTHORIZED = "not_authorized";
export const RETRY_LATER = "retry_later";
export const UNRECOVERABLE = "unrecoverable";

/**
 * An error text the server maps to `kind` (`scrobbler(retry_later): <message>`):
 *
 *   fail(scrobblerError(RETRY_LATER, "service is down"));
 *   return;
 */
export function scrobblerError(kind: string, message: string): string {
  return "scrobbler(" + kind + "): " + message;
}

export class IsAuthorizedRequest {
  username: string = "";

  static decode(v: JSONValue): IsAuthorizedRequest {
    const r = new IsAuthorizedRequest();
    r.username = v.getString("username");
    return r;
  }
}

export class NowPlayingRequest {
  username: string = "";
  track: TrackInfo = new TrackInfo();
  /** Seconds into the track. */
  position: i32 = 0;

  static decode(v: JSONValue): NowPlayingRequest {
    const r = new NowPlayingRequest();
    r.username = v.getString("username");
    r.track = TrackInfo.decode(v.getObject("track"));
    r.position = v.getI32("position");
    return r;
  }
}

/** A finished play. Buffered scrobbles may arrive later, after a retry. */
export class ScrobbleRequest {
  username: string = "";
  track: TrackInfo = new TrackInfo();
  /** Unix seconds when the play happened (or stopped). */
  timestamp: i64 = 0;

  static decode(v: JSONValue): ScrobbleRequest {
    const r = new ScrobbleRequest();
    r.username = v.getString("username");
    r.track = TrackInfo.decode(v.getObject("track"));
    r.timestamp = v.getI64("timestamp");
    return r;
  }
}

/** A player's state change: `starting`, `playing`, `paused`, `stopped`, or `expired` (sent by the server). */
export class PlaybackReportRequest {
  username: string = "";
  track: TrackInfo = new TrackInfo();
  state: string = "";
  positionMs: i64 = 0;
  playbackRate: f64 = 1;
  playerId: string = "";
  playerName: string = "";
  /** Unix seconds of the report. */
  timestamp: i64 = 0;

  static decode(v: JSONValue): PlaybackReportRequest {
    const r = new PlaybackReportRequest();
    r.username = v.getString("username");
    r.track = TrackInfo.decode(v.getObject("track"));
    r.state = v.getString("state");
    r.positionMs = v.getI64("positionMs");
    r.playbackRate = v.getF64("playbackRate", 1);
    r.playerId = v.getString("playerId");
    r.playerName = v.getString("playerName");
    r.timestamp = v.getI64("timestamp");
    return r;
  }
}

export class Scrobbler {
  /** Whether to deliver events for this user at all (after the admin's user scope). */
  isAuthorized(req: IsAuthorizedRequest): bool {
    return notImplemented<bool>();
  }
  nowPlaying(req: NowPlayingRequest): void {
    notImplemented();
  }
  scrobble(req: ScrobbleRequest): void {
    notImplemented();
  }
  /** Optional: a scrobbler that leaves it out is simply not told (no error). */
  playbackReport(req: PlaybackReportRequest): void {
    notImplemented();
  }
}

let registered: Scrobbler | null = null;

export function registerScrobbler(scrobbler: Scrobbler): void {
  registered = scrobbler;
}

export function registeredScrobbler(): Scrobbler | null {
  return registered;
}
