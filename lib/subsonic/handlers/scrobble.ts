import "server-only";
import { AppError } from "../../errors";
import { log } from "../../log";
import { playTracker, type PlaybackContext, type PlayTracker, type ReportedState } from "../../scrobbler";
import { registerPlayer } from "../../scrobbler/players";
import { REPORTED_STATES } from "../../scrobbler/scrobbler";
import { annotationsFor } from "../access";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";
import { songChild } from "../shapes";
import { registerExtension } from "./system";

registerExtension("playbackReport", [1]);

/** Header (and cookie) naming a browser tab's player (Navidrome's `X-ND-Client-Unique-Id`). */
const CLIENT_UNIQUE_ID = "X-ND-Client-Unique-Id";

function requireTracker(): PlayTracker {
  const tracker = playTracker();
  if (!tracker) throw new AppError("UNAVAILABLE", "playback tracking is not running");
  return tracker;
}

function clientUniqueId(req: Request | undefined): string | undefined {
  const header = req?.headers.get(CLIENT_UNIQUE_ID);
  if (header) return header;
  for (const part of (req?.headers.get("cookie") ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === CLIENT_UNIQUE_ID && value.length) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/** Registers the calling player and names the session: the unique client id, else the player id. */
async function playbackContext(ctx: SubsonicContext): Promise<PlaybackContext> {
  const headers = ctx.req?.headers;
  const player = await registerPlayer({
    userId: ctx.user.id,
    client: ctx.client,
    userAgent: headers?.get("user-agent") ?? "",
    ip: headers?.get("x-forwarded-for")?.split(",")[0].trim() ?? headers?.get("x-real-ip") ?? "",
  });
  return { user: ctx.user, scrobbleEnabled: player.scrobbleEnabled, clientId: clientUniqueId(ctx.req) ?? player.id, clientName: ctx.client };
}

/** Go's `IntOr`: a missing or unparsable value gives the fallback. */
function intOr(ctx: SubsonicContext, name: string, fallback: number): number {
  const n = Number(ctx.params.string(name));
  return Number.isInteger(n) && ctx.params.string(name)?.trim() ? n : fallback;
}

/** Go's `ParseFloat`, which also reads `inf`/`nan`; unparsable text gives the fallback. */
function floatOr(text: string | undefined, fallback: number): number {
  if (text === undefined || text.trim() === "") return fallback;
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const n = Number(text);
  return Number.isNaN(n) ? fallback : n;
}

/** `time` values (ms since the epoch); any unparsable value drops them all, as Navidrome's `Times`. */
function parseTimes(values: string[]): Date[] {
  const times = values.map(Number);
  return times.every((t) => Number.isInteger(t)) ? times.map((t) => new Date(t)) : [];
}

// scrobble – submission=true counts and scrobbles each id; submission=false reports the first as playing
export const scrobble: SubsonicHandler = async (ctx) => {
  const ids = ctx.params.all("id");
  if (!ids.length) throw new SubsonicError(10, "missing parameter: 'id'");
  const times = parseTimes(ctx.params.all("time"));
  if (times.length && times.length !== ids.length) throw new SubsonicError(0, `Wrong number of timestamps: ${times.length}, should be ${ids.length}`);
  const tracker = requireTracker();
  const playback = await playbackContext(ctx);
  if (ctx.params.bool("submission", true)) {
    await tracker.submit(playback, ids.map((trackId, i) => ({ trackId, timestamp: times[i] ?? new Date() })));
    return {};
  }
  try {
    await tracker.reportPlayback(playback, { mediaId: ids[0], positionMs: intOr(ctx, "position", 0) * 1000, state: "playing", playbackRate: 1, ignoreScrobble: false });
  } catch (err) {
    // Legacy clients get "ok" whatever happens, as from Navidrome.
    log.error({ id: ids[0], err: (err as Error).message }, "Error setting NowPlaying");
  }
  return {};
};

// reportPlayback – OpenSubsonic playbackReport v1
export const reportPlayback: SubsonicHandler = async (ctx) => {
  const mediaId = ctx.params.required("mediaId");
  const mediaType = ctx.params.required("mediaType");
  const positionMs = ctx.params.int("positionMs");
  if (positionMs === undefined) throw new SubsonicError(10, "Required parameter 'positionMs' is missing.");
  if (positionMs < 0) throw new SubsonicError(0, "positionMs must be non-negative");
  const state = ctx.params.required("state");
  if (!(REPORTED_STATES as readonly string[]).includes(state)) throw new SubsonicError(0, `Invalid state: ${state}`);
  const playbackRate = floatOr(ctx.params.string("playbackRate"), 1);
  if (!Number.isFinite(playbackRate) || playbackRate <= 0) throw new SubsonicError(0, "playbackRate must be a finite positive number");
  if (mediaType !== "song") log.warn({ mediaType, mediaId }, "reportPlayback received unsupported mediaType");
  const tracker = requireTracker();
  await tracker.reportPlayback(await playbackContext(ctx), {
    mediaId,
    positionMs,
    state: state as ReportedState,
    playbackRate,
    ignoreScrobble: ctx.params.bool("ignoreScrobble", false),
  });
  return {};
};

// getNowPlaying – every current playback session, newest first
export const getNowPlaying: SubsonicHandler = async (ctx) => {
  const sessions = requireTracker().nowPlaying();
  const ann = await annotationsFor(ctx.user, { track: sessions.map((s) => s.track.id) });
  const now = Date.now();
  return {
    nowPlaying: {
      entry: sessions.map((s, i) => ({
        ...songChild(s.track, ann),
        username: s.userName,
        minutesAgo: Math.trunc((now - s.start.getTime()) / 60_000),
        // Navidrome numbers the entries; the session's player id is not an integer.
        playerId: i + 1,
        playerName: s.playerName,
        state: s.state,
        positionMs: s.positionMs,
        playbackRate: s.playbackRate,
      })),
    },
  };
};
