import "server-only";
import type { MediaFile } from "../../db/rows";
import { ScrobblerError, toScrobblerError } from "../../scrobbler/errors";
import type { Listener, PlaybackSession, Scrobbler, ScrobblerSource } from "../../scrobbler/scrobbler";
import { FunctionNotFoundError, NotImplementedError, PluginCallError } from "../errors";
import type { PluginManager } from "../manager";
import { trackInfo, type TrackInfo } from "./track-info";

/** Scrobbler exports (contract §3.2). */
export const FUNC_IS_AUTHORIZED = "nd_scrobbler_is_authorized";
export const FUNC_NOW_PLAYING = "nd_scrobbler_now_playing";
export const FUNC_SCROBBLE = "nd_scrobbler_scrobble";
export const FUNC_PLAYBACK_REPORT = "nd_scrobbler_playback_report";

/** `nd_scrobbler_is_authorized` input; the output is a JSON boolean. */
export interface IsAuthorizedRequest {
  username: string;
}

/** `nd_scrobbler_now_playing` input (no output). */
export interface NowPlayingRequest {
  username: string;
  track: TrackInfo;
  /** Playback position in whole seconds (int32). */
  position: number;
}

/** `nd_scrobbler_scrobble` input (no output). */
export interface ScrobbleRequest {
  username: string;
  track: TrackInfo;
  /** When the play happened, Unix seconds (int64). */
  timestamp: number;
}

/** `nd_scrobbler_playback_report` input (no output). Every field is always sent. */
export interface PlaybackReportRequest {
  username: string;
  track: TrackInfo;
  /** `starting`, `playing`, `paused`, `stopped` or `expired`. */
  state: string;
  positionMs: number;
  /** float64; 1 is normal speed. */
  playbackRate: number;
  playerId: string;
  playerName: string;
  /** Time of the report (or of the expiry), Unix seconds. */
  timestamp: number;
}

const unixSeconds = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * Exports without output accept empty output, `null` or a JSON object (contract §2.3
 * step 7): Go decodes into an empty struct, so anything else fails the call.
 */
function expectNoOutput(value: unknown): void {
  if (value === undefined || value === null || (typeof value === "object" && !Array.isArray(value))) return;
  throw new PluginCallError(`plugin call failed: json: cannot unmarshal ${Array.isArray(value) ? "array" : typeof value} into Go value of type struct`);
}

/**
 * A loaded plugin as a `Scrobbler` (Navidrome's `ScrobblerPlugin`). Every call reads the
 * plugin's current registration, so a reload (settings save) is picked up at once.
 */
export class PluginScrobbler implements Scrobbler {
  constructor(
    private readonly manager: PluginManager,
    readonly id: string,
  ) {}

  /** The admin's user scope (all users, or the user's id in the selection), then the plugin's answer. */
  async isAuthorized(listener: Listener): Promise<boolean> {
    const plugin = this.manager.loadedPlugin(this.id);
    if (!plugin || !(plugin.record.allUsers || plugin.record.users.includes(listener.id))) return false;
    try {
      return (await this.manager.call<unknown>(this.id, FUNC_IS_AUTHORIZED, { username: listener.userName } satisfies IsAuthorizedRequest)) === true;
    } catch {
      // Any failure (missing export included) means "not authorised": the plugin is skipped for this event.
      return false;
    }
  }

  async nowPlaying(listener: Listener, track: MediaFile, positionSeconds: number): Promise<void> {
    await this.send(FUNC_NOW_PLAYING, { username: listener.userName, track: this.trackInfo(track), position: positionSeconds } satisfies NowPlayingRequest);
  }

  async scrobble(listener: Listener, track: MediaFile, playTime: Date): Promise<void> {
    await this.send(FUNC_SCROBBLE, { username: listener.userName, track: this.trackInfo(track), timestamp: unixSeconds(playTime) } satisfies ScrobbleRequest);
  }

  /** Plugins that do not export it (or answer "not implemented") are treated as having received it. */
  async playbackReport(s: PlaybackSession): Promise<void> {
    const request: PlaybackReportRequest = {
      username: s.userName,
      track: this.trackInfo(s.track),
      state: s.state,
      positionMs: s.positionMs,
      playbackRate: s.playbackRate,
      playerId: s.playerId,
      playerName: s.playerName,
      timestamp: unixSeconds(s.lastReport),
    };
    try {
      await this.send(FUNC_PLAYBACK_REPORT, request);
    } catch (err) {
      const cause = (err as Error).cause;
      if (cause instanceof FunctionNotFoundError || cause instanceof NotImplementedError) return;
      throw err;
    }
  }

  private async send(exportName: string, request: object): Promise<void> {
    try {
      expectNoOutput(await this.manager.call(this.id, exportName, request));
    } catch (err) {
      // Unloaded before or during the call (a reload, a disable): like Navidrome's "not
      // available", a buffered scrobble is kept for later rather than discarded.
      if (!this.manager.loadedPlugin(this.id)) throw new ScrobblerError("retry_later", `scrobbler ${this.id} is not available`, { cause: err });
      throw toScrobblerError(err);
    }
  }

  private trackInfo(track: MediaFile): TrackInfo {
    const plugin = this.manager.loadedPlugin(this.id);
    return trackInfo(track, plugin ? { manifest: plugin.manifest, allLibraries: plugin.record.allLibraries, libraries: plugin.record.libraries } : undefined);
  }
}

/** The play tracker's view of the plugin manager: every loaded plugin with the Scrobbler capability. */
export function pluginScrobblerSource(manager: PluginManager): ScrobblerSource {
  return {
    names: () => manager.pluginsWith("Scrobbler"),
    get: (name) => (manager.loadedPlugin(name)?.capabilities.includes("Scrobbler") ? new PluginScrobbler(manager, name) : undefined),
  };
}
