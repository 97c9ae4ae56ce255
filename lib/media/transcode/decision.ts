import { isTranscodeFormat, type TranscodeFormat } from "./profiles";

/**
 * The OpenSubsonic `transcoding` extension's decision (getTranscodeDecision): can the
 * client play the file as it is, else which of its transcoding profiles we can produce.
 * ClientInfo arrived in two shapes while the extension was drafted (`container` /
 * `audioCodec` strings, or `containers` / `audioCodecs` / `protocols` arrays); both are read.
 */

export interface ClientProfile {
  container?: string;
  containers?: string[];
  audioCodec?: string;
  audioCodecs?: string[];
  protocol?: string;
  protocols?: string[];
  maxAudioChannels?: number;
}

export interface ClientInfo {
  name?: string;
  platform?: string;
  maxAudioBitrate?: number;
  maxTranscodingAudioBitrate?: number;
  directPlayProfiles?: ClientProfile[];
  transcodingProfiles?: ClientProfile[];
  codecProfiles?: { type?: string; name?: string; limitations?: { name?: string; comparison?: string; value?: string; values?: string[]; required?: boolean }[] }[];
}

export interface StreamDetails {
  protocol: string;
  container: string;
  codec: string;
  audioChannels?: number;
  audioBitrate?: number;
  audioSamplerate?: number;
}

export interface TranscodeDecision {
  canDirectPlay: boolean;
  canTranscode: boolean;
  transcodeReason?: string[];
  errorReason?: string;
  transcodeParams?: string;
  sourceStream: StreamDetails;
  transcodeStream?: StreamDetails;
}

/** Container and codec of a file, from its suffix (the scanner records no codec). */
const SOURCE: Record<string, { container: string; codec: string }> = {
  mp3: { container: "mp3", codec: "mp3" },
  flac: { container: "flac", codec: "flac" },
  ogg: { container: "ogg", codec: "vorbis" },
  oga: { container: "ogg", codec: "vorbis" },
  opus: { container: "ogg", codec: "opus" },
  m4a: { container: "mp4", codec: "aac" },
  mp4: { container: "mp4", codec: "aac" },
  aac: { container: "aac", codec: "aac" },
  wav: { container: "wav", codec: "pcm" },
  aiff: { container: "aiff", codec: "pcm" },
  wma: { container: "asf", codec: "wma" },
};

/** What each of our formats is on the wire (see profiles.ts). */
const OUTPUT: Record<TranscodeFormat, { container: string; codec: string }> = {
  opus: { container: "ogg", codec: "opus" },
  mp3: { container: "mp3", codec: "mp3" },
  aac: { container: "aac", codec: "aac" },
};

const lower = (xs: (string | undefined)[]) => xs.flatMap((x) => (x ?? "").split(",")).map((x) => x.trim().toLowerCase()).filter(Boolean);
const containersOf = (p: ClientProfile) => lower([p.container, ...(p.containers ?? [])]);
const codecsOf = (p: ClientProfile) => lower([p.audioCodec, ...(p.audioCodecs ?? [])]);
/** Only plain HTTP progressive streams are served (no HLS). Empty or "*" means any. */
const httpOk = (p: ClientProfile) => {
  const ps = lower([p.protocol, ...(p.protocols ?? [])]);
  return ps.length === 0 || ps.includes("*") || ps.includes("http");
};

export function sourceDetails(file: { suffix: string; bitRate: number; sampleRate: number; channels: number }): StreamDetails {
  const s = SOURCE[file.suffix.toLowerCase()] ?? { container: file.suffix.toLowerCase(), codec: file.suffix.toLowerCase() };
  return { protocol: "http", ...s, audioChannels: file.channels || undefined, audioBitrate: file.bitRate ? file.bitRate * 1000 : undefined, audioSamplerate: file.sampleRate || undefined };
}

/** The lowest `audioBitrate` LessThanEqual limitation the client sets for `codec`, in bps (0: none). */
function codecBitRateLimit(info: ClientInfo, codec: string): number {
  let limit = 0;
  for (const cp of info.codecProfiles ?? []) {
    if ((cp.name ?? "").toLowerCase() !== codec) continue;
    for (const l of cp.limitations ?? []) {
      if (l.name !== "audioBitrate" || l.comparison !== "LessThanEqual") continue;
      const v = Number(l.value ?? l.values?.[0]);
      if (v > 0) limit = limit ? Math.min(limit, v) : v;
    }
  }
  return limit;
}

/**
 * Decides for one file. `serverMaxKbps` is the player/user cap (0: none); `defaults` the
 * profiles' default kbps. `transcodeParams` is `<format>-<kbps>`, read back by
 * getTranscodeStream (parseTranscodeParams) and checked again there.
 */
export function decideTranscode(
  info: ClientInfo,
  file: { suffix: string; bitRate: number; sampleRate: number; channels: number },
  opts: { serverMaxKbps: number; defaults: Record<TranscodeFormat, number>; canTranscode: boolean },
): TranscodeDecision {
  const source = sourceDetails(file);
  const sourceBps = source.audioBitrate ?? 0;
  const capBps = [info.maxAudioBitrate ?? 0, opts.serverMaxKbps * 1000].filter((v) => v > 0);
  const maxBps = capBps.length ? Math.min(...capBps) : 0;
  const reasons: string[] = [];
  let direct = false;
  for (const p of info.directPlayProfiles ?? []) {
    const containers = containersOf(p);
    const codecs = codecsOf(p);
    if (!httpOk(p)) reasons.push("ProtocolNotSupported");
    else if (containers.length && !containers.includes(source.container) && !containers.includes(file.suffix.toLowerCase())) reasons.push("ContainerNotSupported");
    else if (codecs.length && !codecs.includes(source.codec)) reasons.push("AudioCodecNotSupported");
    else if (p.maxAudioChannels && file.channels > p.maxAudioChannels) reasons.push("AudioChannelsNotSupported");
    else if (maxBps && sourceBps > maxBps) reasons.push("AudioBitrateNotSupported");
    else if (codecBitRateLimit(info, source.codec) && sourceBps > codecBitRateLimit(info, source.codec)) reasons.push("AudioBitrateNotSupported");
    else {
      direct = true;
      break;
    }
  }
  if (direct) return { canDirectPlay: true, canTranscode: false, sourceStream: source };
  if (!opts.canTranscode) return { canDirectPlay: false, canTranscode: false, transcodeReason: reasons, errorReason: "Transcoding is not available on this server", sourceStream: source };
  for (const p of info.transcodingProfiles ?? []) {
    if (!httpOk(p)) continue;
    const wanted = [...codecsOf(p), ...containersOf(p)];
    const format = wanted.map((w) => (w === "ogg" ? "opus" : w === "adts" ? "aac" : w)).find(isTranscodeFormat);
    if (!format) continue;
    const limits = [info.maxTranscodingAudioBitrate ?? 0, maxBps, codecBitRateLimit(info, OUTPUT[format].codec)].filter((v) => v > 0);
    const kbps = Math.max(6, Math.min(opts.defaults[format], ...limits.map((v) => Math.floor(v / 1000))));
    const out: StreamDetails = { protocol: "http", ...OUTPUT[format], audioBitrate: kbps * 1000, audioChannels: file.channels || undefined };
    return { canDirectPlay: false, canTranscode: true, transcodeReason: reasons, transcodeParams: `${format}-${kbps}`, sourceStream: source, transcodeStream: out };
  }
  return { canDirectPlay: false, canTranscode: false, transcodeReason: reasons, errorReason: "No transcoding profile the server supports (opus, mp3 or aac over http)", sourceStream: source };
}

/** `<format>-<kbps>` back into its parts; null when it is not one we issued. */
export function parseTranscodeParams(text: string): { format: TranscodeFormat; bitRate: number } | null {
  const m = /^([a-z0-9]+)-(\d{1,4})$/.exec(text.trim());
  if (!m || !isTranscodeFormat(m[1])) return null;
  const bitRate = Number(m[2]);
  return bitRate >= 6 && bitRate <= 512 ? { format: m[1], bitRate } : null;
}
