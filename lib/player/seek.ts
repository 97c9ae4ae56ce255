import type { StreamSettings } from "./subsonic-client";

/**
 * Position arithmetic for seeking in transcoded streams. A live transcode is sent without byte ranges
 * (`Accept-Ranges: none`), so the browser can only seek inside what it already holds. Past that, the player reloads
 * the stream with `timeOffset=<s>` (OpenSubsonic transcodeOffset) and from then on the element's time 0 is the
 * track's `offset`: every position the listener or the server sees is `offset + audio.currentTime`.
 */

/** A time range of an `<audio>` element (`buffered`/`seekable`), in element seconds. */
export type TimeRange = [start: number, end: number];

/** Seconds before the end a reload may start at: an offset at or past the end transcodes nothing (an error). */
const END_MARGIN_S = 1;
/** Float slack when comparing a target with a range edge. */
const EPSILON_S = 0.01;

/** Whether these settings ask the server for a transcode (a format, or a cap that may force one). */
export function isTranscodeRequest(settings: StreamSettings): boolean {
  return settings.format !== "raw" || settings.maxBitRate > 0;
}

/** `url` with `timeOffset=<offset>` when the offset is positive (milliseconds are enough precision). */
export function offsetUrl(url: string, offset: number): string {
  if (!(offset > 0)) return url;
  const s = String(Math.round(offset * 1000) / 1000);
  return `${url}${url.includes("?") ? "&" : "?"}timeOffset=${s}`;
}

/** The track position shown, reported and saved: the reload offset plus the element's own time. */
export function playerPosition(offset: number, elementTime: number): number {
  return offset + (Number.isFinite(elementTime) ? elementTime : 0);
}

/**
 * The track's duration. A transcode's element duration is unusable (Infinity while live, or only what is left after
 * the offset), so the track's known duration wins; an original's element knows its exact length.
 */
export function playerDuration(s: { transcoded: boolean; trackDuration: number; offset: number; elementDuration: number }): number {
  const element = Number.isFinite(s.elementDuration) && s.elementDuration > 0 ? s.elementDuration : 0;
  if (!s.transcoded) return element || s.trackDuration;
  if (s.trackDuration > 0) return s.trackDuration;
  return element ? s.offset + element : 0;
}

/** What a seek does: move the element (element seconds), or reload the stream at a new track offset. */
export type SeekPlan = { kind: "native"; elementTime: number } | { kind: "reload"; offset: number };

function inside(ranges: readonly TimeRange[], t: number): boolean {
  return ranges.some(([start, end]) => t >= start - EPSILON_S && t <= end + EPSILON_S);
}

/**
 * Plans a seek to track second `target`. Originals always seek natively (the server honours byte ranges). A
 * transcode seeks natively only where the element both holds the audio and can seek; anywhere else it is reloaded
 * at the target, clamped into the track.
 */
export function planSeek(s: { target: number; offset: number; duration: number; transcoded: boolean; buffered: readonly TimeRange[]; seekable: readonly TimeRange[] }): SeekPlan {
  if (!s.transcoded) return { kind: "native", elementTime: s.target };
  const elementTime = s.target - s.offset;
  if (elementTime >= 0 && inside(s.buffered, elementTime) && inside(s.seekable, elementTime)) return { kind: "native", elementTime };
  const last = s.duration > 0 ? Math.max(0, s.duration - END_MARGIN_S) : Number.POSITIVE_INFINITY;
  return { kind: "reload", offset: Math.min(Math.max(0, s.target), last) };
}
