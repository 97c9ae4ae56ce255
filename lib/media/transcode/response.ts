import type { TranscodeProfile } from "./profiles";

/**
 * Headers of a transcoded stream. `X-Content-Duration` (seconds left to play) lets a
 * player show a length for a stream that has no Content-Length.
 */
export function transcodeHeaders(profile: TranscodeProfile, bitRate: number, seconds: number): Record<string, string> {
  return {
    "Content-Type": profile.contentType,
    "Cache-Control": "private, max-age=3600",
    "X-Content-Duration": seconds.toFixed(2),
    "X-Transcoding": `${profile.format} ${bitRate}k`,
  };
}

/**
 * The Content-Length announced with `estimateContentLength`: duration × bit rate, as
 * Navidrome computes it. Measured against Chromium: padding a larger estimate with zeros
 * makes it play that much silence after an MP3; a CBR output overshoots this figure only
 * by its headers, so the cut in `exactLength` drops a few milliseconds of the fade-out.
 */
export function estimatedLength(seconds: number, kbps: number): number {
  return Math.ceil(seconds * kbps * 125);
}

/**
 * `estimateContentLength`: the stream cut or padded to exactly `length` bytes, so the
 * announced Content-Length always holds (an encoder's output only approximates
 * duration × bit rate). Padding is zero bytes, which audio decoders skip as junk after
 * the last frame; `leave` stops the producer when the length is reached early.
 */
export function exactLength(source: ReadableStream<Uint8Array>, length: number, leave: () => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent >= length) return controller.close();
      const { value, done } = await reader.read();
      if (done) {
        const pad = Math.min(length - sent, 64 * 1024);
        sent += pad;
        controller.enqueue(new Uint8Array(pad));
        return;
      }
      const take = value.subarray(0, length - sent);
      sent += take.length;
      controller.enqueue(take);
      if (sent >= length) {
        void reader.cancel();
        leave();
      }
    },
    cancel: () => reader.cancel(),
  });
}
