import { log } from "../log";
import { remember } from "../server/remember";
import type { CoverImage } from "./covers";
import { readImageHeader, sniffImageType } from "./image-header";
import { ImageJobError, ImagePool } from "./image-pool";

/**
 * The sizes images are scaled to. A request for any other size is served the next bucket
 * up (size=300 gets the 512 image; clients scale it down as they draw it), so one image
 * is decoded at most once per bucket, whatever sizes clients ask for. Above the largest
 * bucket the largest is served (the old limit was 2000 px); size 0 is the stored image.
 */
export const SIZE_BUCKETS = [32, 64, 128, 256, 512, 1024, 2048] as const;

/**
 * Largest width × height we decode: 4096×4096. The pure-JS JPEG decoder needs ~18 bytes
 * (mostly JS heap) per pixel, so this bounds a decode to ~300 MB; larger covers are
 * rare (and are served as stored when a smaller size is asked for).
 */
export const MAX_DECODE_PIXELS = 4096 * 4096;

/** Largest stored image we read at all (covers are a few MB; external images are capped at 10 MB). */
export const MAX_IMAGE_BYTES = 32 * 1024 * 1024;

/** The bucket a requested `size` is served from (0 stays 0: the stored image). */
export function sizeBucket(size: number): number {
  if (!(size > 0)) return 0;
  return SIZE_BUCKETS.find((b) => b >= size) ?? SIZE_BUCKETS[SIZE_BUCKETS.length - 1];
}

/**
 * Why the stored image was served instead of a scaled one. Like Navidrome, an image that
 * cannot be scaled is served as it is (never a 500): `unsupported` (GIF, WebP, unknown),
 * `too-large` (header over MAX_DECODE_PIXELS: refused before decoding), `corrupt`
 * (decoder error), `timeout`/`crashed` (worker stopped and replaced), `busy` (queue full).
 */
export type FallbackReason = "unsupported" | "too-large" | "corrupt" | "timeout" | "crashed" | "busy";

export interface FitResult {
  image: CoverImage;
  /** Set when `image` is the stored image because it could not be scaled. */
  fallback?: FallbackReason;
}

/** The process's image workers (one or two; see ImagePool). */
export const imagePool = () => remember("imagePool", () => new ImagePool({ maxPixels: MAX_DECODE_PIXELS }));

const FAILURES: Record<ImageJobError["reason"], FallbackReason> = { busy: "busy", timeout: "timeout", crashed: "crashed", failed: "corrupt" };

/**
 * Scales an image to fit within `size`×`size` (never enlarges), keeping its format. Only
 * the header is read on the main thread; decoding and scaling run in the image pool.
 */
export async function fitWithin(img: CoverImage, size: number): Promise<FitResult> {
  const type = sniffImageType(img.bytes);
  // Serve the format the bytes are in, not the one a file name or server claimed.
  const image = type ? { ...img, contentType: type } : img;
  const header = readImageHeader(img.bytes);
  if (!header) return { image, fallback: type === "image/png" || type === "image/jpeg" ? "corrupt" : "unsupported" };
  const { width, height } = header;
  if (width === 0 || height === 0) return { image, fallback: "corrupt" };
  if (width <= size && height <= size) return { image };
  if (width * height > MAX_DECODE_PIXELS) {
    log.warn({ width, height }, "Image has too many pixels to resize; serving it as stored");
    return { image, fallback: "too-large" };
  }
  try {
    return { image: { bytes: await imagePool().resize(img.bytes, header.type, size), contentType: header.type } };
  } catch (err) {
    if (!(err instanceof ImageJobError)) throw err;
    log.warn({ reason: err.reason, err: err.message }, "Could not resize an image; serving it as stored");
    return { image, fallback: FAILURES[err.reason] };
  }
}
