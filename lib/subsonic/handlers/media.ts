import "server-only";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { visibleTrackFile } from "../../catalog/visibility";
import { coverArt } from "../../media/covers";
import { storedBitRateLimits } from "../../media/transcode/bit-rate-limits";
import { decideStream, effectiveMaxBitRate, FORMATS, isTranscodeFormat, type StreamDecision, type TranscodeFormat } from "../../media/transcode/profiles";
import { estimatedLength, exactLength, transcodeHeaders } from "../../media/transcode/response";
import { transcoder } from "../../media/transcode/transcoder";
import { libraryIdsFor } from "../access";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";

/** Parses a single `bytes=` range (the only kind players send); null when absent or unusable. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}

/** A file on disk as a response, with byte ranges (the original, or a complete cached transcode). */
function fileResponse(ctx: SubsonicContext, file: string, size: number, headers: Record<string, string>): Response {
  headers = { ...headers, "Accept-Ranges": "bytes", "Cache-Control": "private, max-age=3600" };
  const range = parseRange(ctx.req?.headers.get("range") ?? null, size);
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${size}` } });
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const body = ctx.req?.method === "HEAD" || size === 0 ? null : (Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream);
  headers["Content-Length"] = String(end - start + 1);
  if (range) headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
  return new Response(body, { status: range ? 206 : 200, headers });
}

/** The song `id` (or another parameter) names, visible to the user, with its file's size and mtime. */
export async function trackFile(ctx: SubsonicContext, param = "id") {
  const id = ctx.params.required(param);
  const mf = await visibleTrackFile(id, await libraryIdsFor(ctx.user));
  if (!mf) throw new SubsonicError(70, "Song not found");
  const file = path.join(mf.library.path, mf.path);
  try {
    const st = await stat(file);
    return { mf, file, size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    throw new SubsonicError(70, "Song file is missing; rescan the library");
  }
}

/** `format`, `maxBitRate` and `timeOffset`, checked: error 0 for values no client should send. */
function streamParams(ctx: SubsonicContext, suffix: string): { format: TranscodeFormat | "raw" | ""; maxBitRate: number; offsetSeconds: number } {
  const raw = (ctx.params.string("format") ?? "").trim().toLowerCase();
  let format: TranscodeFormat | "raw" | "";
  if (raw === "" || raw === "raw" || isTranscodeFormat(raw)) format = raw as TranscodeFormat | "raw" | "";
  else if (raw === suffix.toLowerCase()) format = ""; // "the file's own format": no conversion asked
  else throw new SubsonicError(0, `Unsupported format '${raw}': use raw, ${FORMATS.join(", ")}`);
  const maxBitRate = ctx.params.int("maxBitRate", 0);
  if (maxBitRate < 0) throw new SubsonicError(0, `Invalid maxBitRate: ${maxBitRate}`);
  const offsetText = ctx.params.string("timeOffset") ?? "";
  const offsetSeconds = offsetText === "" ? 0 : Number(offsetText);
  if (!Number.isFinite(offsetSeconds) || offsetSeconds < 0) throw new SubsonicError(0, `Invalid timeOffset: ${offsetText}`);
  return { format, maxBitRate, offsetSeconds };
}

/**
 * `stream`: the original file (byte ranges), or a transcode when the request, the player
 * or the user caps the bit rate below the file's, a format is asked, or playback starts at
 * `timeOffset` (OpenSubsonic `transcodeOffset`). Without ffmpeg the original is sent and
 * the `X-Transcoding` header says why.
 */
export const stream: SubsonicHandler = async (ctx) => {
  const track = await trackFile(ctx);
  const req = streamParams(ctx, track.mf.suffix);
  const maxBitRate = effectiveMaxBitRate({ request: req.maxBitRate, ...(await storedLimits(ctx)) });
  const t = transcoder();
  const decision = decideStream({ format: req.format, maxBitRate, offsetSeconds: req.offsetSeconds }, { suffix: track.mf.suffix, bitRate: track.mf.bitRate }, t.profiles, t.config.Transcoding.DefaultFormat);
  return serveDecision(ctx, track, decision);
};

/** The player's and the user's caps for this request (see storedBitRateLimits). */
export function storedLimits(ctx: SubsonicContext) {
  return storedBitRateLimits(ctx.user, ctx.client, ctx.req?.headers.get("user-agent") ?? "");
}

/** Sends the original or the transcode `decision` names (shared by `stream` and `getTranscodeStream`). */
export async function serveDecision(ctx: SubsonicContext, track: Awaited<ReturnType<typeof trackFile>>, decision: StreamDecision): Promise<Response> {
  const { mf, file, size, mtimeMs } = track;
  const t = transcoder();
  const original = { "Content-Type": mf.contentType };
  if (decision.kind === "raw") return fileResponse(ctx, file, size, original);
  if (!t.available) return fileResponse(ctx, file, size, { ...original, "X-Transcoding": `unavailable (${t.unavailableReason}); original sent` });

  const job = { file, size, mtimeMs, format: decision.format, bitRate: decision.bitRate, offsetSeconds: decision.offsetSeconds };
  const profile = t.profiles[decision.format];
  const remaining = Math.max(0, mf.duration - decision.offsetSeconds);
  const headers = transcodeHeaders(profile, decision.bitRate, remaining);
  if (ctx.req?.method === "HEAD") return new Response(null, { headers: { ...headers, "Accept-Ranges": "none" } });
  const out = await t.open(job);
  if (out.kind === "cached") return fileResponse(ctx, out.file, out.size, headers);
  // A client that goes away stops its ffmpeg (unless others share it): body cancel, or the request's abort.
  ctx.req?.signal?.addEventListener("abort", out.leave, { once: true });
  if (ctx.params.bool("estimateContentLength", false)) {
    const length = estimatedLength(remaining, decision.bitRate);
    return new Response(exactLength(out.stream, length, out.leave), { headers: { ...headers, "Accept-Ranges": "none", "Content-Length": String(length) } });
  }
  return new Response(out.stream, { headers: { ...headers, "Accept-Ranges": "none" } });
}

/** `download`: always the original file, whatever `format` asks. */
export const download: SubsonicHandler = async (ctx) => {
  const { mf, file, size } = await trackFile(ctx);
  return fileResponse(ctx, file, size, { "Content-Type": mf.contentType, "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(path.basename(mf.path))}` });
};

/** Cover art of an album, song, artist or playlist, scaled to `size` pixels when asked. */
export const getCoverArt: SubsonicHandler = async (ctx) => {
  const id = ctx.params.required("id");
  const img = await coverArt(id, await libraryIdsFor(ctx.user), Math.max(0, ctx.params.int("size", 0)));
  if (!img) throw new SubsonicError(70, "Artwork not found");
  return new Response(img.bytes as BodyInit, { headers: { "Content-Type": img.contentType, "Content-Length": String(img.bytes.length), "Cache-Control": "public, max-age=86400" } });
};
