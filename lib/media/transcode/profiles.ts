import type { Config } from "../../config";

/** The output formats the server can transcode to (Subsonic `format` values). */
export const FORMATS = ["opus", "mp3", "aac"] as const;
export type TranscodeFormat = (typeof FORMATS)[number];

/** One output format: how to run ffmpeg for it and what the client is told it gets. */
export interface TranscodeProfile {
  format: TranscodeFormat;
  /** The argv template; the first word is replaced by the configured ffmpeg path. */
  command: string;
  /** Bit rate used when nothing asks for less (kbps). */
  defaultBitRate: number;
  contentType: string;
  suffix: string;
}

/** What the output looks like on the wire (documented in docs/transcoding.md for players). */
const WIRE: Record<TranscodeFormat, { contentType: string; suffix: string }> = {
  // Ogg Opus: plays in every current browser's <audio>.
  opus: { contentType: "audio/ogg", suffix: "opus" },
  mp3: { contentType: "audio/mpeg", suffix: "mp3" },
  // Raw ADTS AAC, the streamable AAC container (MP4 needs a seekable output).
  aac: { contentType: "audio/aac", suffix: "aac" },
};

/** The profiles of the `Transcoding` config section. */
export function profilesFrom(t: Config["Transcoding"]): Record<TranscodeFormat, TranscodeProfile> {
  return {
    opus: { format: "opus", command: t.OpusCommand, defaultBitRate: t.OpusBitRate, ...WIRE.opus },
    mp3: { format: "mp3", command: t.Mp3Command, defaultBitRate: t.Mp3BitRate, ...WIRE.mp3 },
    aac: { format: "aac", command: t.AacCommand, defaultBitRate: t.AacBitRate, ...WIRE.aac },
  };
}

export function isTranscodeFormat(v: string): v is TranscodeFormat {
  return (FORMATS as readonly string[]).includes(v);
}

/**
 * ffmpeg's argv for one job: the template split on spaces (no shell, so a file name is
 * always one argument whatever it contains), placeholders filled in.
 */
export function buildArgs(command: string, input: { file: string; offsetSeconds: number; bitRate: number }): string[] {
  const words = command.trim().split(/\s+/).slice(1);
  return words.map((w) => {
    if (w === "%s") return input.file;
    return w.replaceAll("%t", String(input.offsetSeconds)).replaceAll("%b", String(input.bitRate));
  });
}

/** The bit-rate caps in force for one request, in kbps (0 or absent = none). */
export interface BitRateLimits {
  request?: number;
  player?: number;
  user?: number;
}

/** The lowest of the caps that are set; 0 when none is. */
export function effectiveMaxBitRate(l: BitRateLimits): number {
  const set = [l.request, l.player, l.user].filter((v): v is number => typeof v === "number" && v > 0);
  return set.length ? Math.min(...set) : 0;
}

/** What `stream` will send. */
export type StreamDecision = { kind: "raw" } | { kind: "transcode"; format: TranscodeFormat; bitRate: number; offsetSeconds: number };

/**
 * Navidrome's decision, in short: `format=raw` or no reason to change → the original;
 * an explicit format → that format (unless the file already is that format within the
 * cap); only a cap below the file's bit rate → the default format at the cap; a start
 * offset → a transcode (the original can only be seeked by bytes).
 * `format` must already be validated (a TranscodeFormat, "raw", the file's suffix or empty).
 */
export function decideStream(
  req: { format: string; maxBitRate: number; offsetSeconds: number },
  file: { suffix: string; bitRate: number },
  profiles: Record<TranscodeFormat, TranscodeProfile>,
  defaultFormat: TranscodeFormat,
): StreamDecision {
  const { format, maxBitRate, offsetSeconds } = req;
  if (format === "raw") return { kind: "raw" };
  const withinCap = maxBitRate <= 0 || (file.bitRate > 0 && file.bitRate <= maxBitRate);
  const target: TranscodeFormat | null = isTranscodeFormat(format) ? format : null;
  if (target) {
    if (file.suffix.toLowerCase() === target && withinCap && offsetSeconds <= 0) return { kind: "raw" };
    return { kind: "transcode", format: target, bitRate: capped(profiles[target].defaultBitRate, maxBitRate), offsetSeconds };
  }
  if (withinCap && offsetSeconds <= 0) return { kind: "raw" };
  return { kind: "transcode", format: defaultFormat, bitRate: capped(profiles[defaultFormat].defaultBitRate, maxBitRate), offsetSeconds };
}

const capped = (bitRate: number, max: number) => (max > 0 ? Math.min(bitRate, max) : bitRate);
