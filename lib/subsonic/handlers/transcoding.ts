import "server-only";
import { BODY_LIMITS, readTextLimited } from "../../http/body";
import { decideTranscode, parseTranscodeParams, type ClientInfo } from "../../media/transcode/decision";
import { effectiveMaxBitRate } from "../../media/transcode/profiles";
import { transcoder } from "../../media/transcode/transcoder";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";
import { serveDecision, storedLimits, trackFile } from "./media";

/** `mediaId` (current spec) or `songId` (the draft); only songs exist here. */
function mediaParam(ctx: SubsonicContext): string {
  const type = ctx.params.string("mediaType") ?? "song";
  if (type !== "song") throw new SubsonicError(70, `Media type '${type}' is not supported`);
  return ctx.params.string("mediaId") !== undefined || ctx.params.string("songId") === undefined ? "mediaId" : "songId";
}

async function clientInfo(ctx: SubsonicContext): Promise<ClientInfo> {
  if (!ctx.req || ctx.req.method !== "POST" || !(ctx.req.headers.get("content-type") ?? "").includes("json")) {
    throw new SubsonicError(10, "getTranscodeDecision takes the client's ClientInfo as a JSON POST body");
  }
  try {
    const info = JSON.parse(await readTextLimited(ctx.req, BODY_LIMITS.json));
    if (!info || typeof info !== "object" || Array.isArray(info)) throw new Error("not an object");
    return info as ClientInfo;
  } catch (err) {
    if (err instanceof SubsonicError) throw err;
    throw new SubsonicError(0, `Invalid ClientInfo: ${(err as Error).message}`);
  }
}

/** OpenSubsonic `transcoding`: whether the client can play the song as is, else how we would transcode it. */
export const getTranscodeDecision: SubsonicHandler = async (ctx) => {
  const { mf } = await trackFile(ctx, mediaParam(ctx));
  const info = await clientInfo(ctx);
  const t = transcoder();
  const serverMaxKbps = effectiveMaxBitRate(await storedLimits(ctx));
  const defaults = { opus: t.profiles.opus.defaultBitRate, mp3: t.profiles.mp3.defaultBitRate, aac: t.profiles.aac.defaultBitRate };
  return { transcodeDecision: decideTranscode(info, mf, { serverMaxKbps, defaults, canTranscode: t.available }) };
};

/** OpenSubsonic `transcoding`: the stream getTranscodeDecision described, from `offset` seconds. */
export const getTranscodeStream: SubsonicHandler = async (ctx) => {
  const param = mediaParam(ctx);
  const params = parseTranscodeParams(ctx.params.required("transcodeParams"));
  if (!params) throw new SubsonicError(0, "Invalid transcodeParams: use the value getTranscodeDecision returned");
  const offsetText = ctx.params.string("offset") ?? "";
  const offsetSeconds = offsetText === "" ? 0 : Number(offsetText);
  if (!Number.isFinite(offsetSeconds) || offsetSeconds < 0) throw new SubsonicError(0, `Invalid offset: ${offsetText}`);
  const track = await trackFile(ctx, param);
  // The caps may have changed since the decision: apply them again.
  const bitRate = effectiveMaxBitRate({ request: params.bitRate, ...(await storedLimits(ctx)) });
  return serveDecision(ctx, track, { kind: "transcode", format: params.format, bitRate, offsetSeconds });
};
