import { createJimp } from "@jimp/core";
import jpeg from "@jimp/js-jpeg";
import png from "@jimp/js-png";
import * as resizePlugin from "@jimp/plugin-resize";
import type { CoverImage } from "./covers";

// Pure JavaScript image codecs (no native binaries to download at install).
const Jimp = createJimp({ formats: [png, jpeg], plugins: [resizePlugin.methods] });

/** Scales an image to fit within `size`×`size` (never enlarges), keeping its format. */
export async function fitWithin(img: CoverImage, size: number): Promise<CoverImage> {
  if (img.contentType !== "image/png" && img.contentType !== "image/jpeg") return img;
  const image = await Jimp.read(Buffer.from(img.bytes));
  const { width, height } = image.bitmap;
  if (width <= size && height <= size) return img;
  const scale = size / Math.max(width, height);
  image.resize({ w: Math.max(1, Math.round(width * scale)), h: Math.max(1, Math.round(height * scale)) });
  const bytes = img.contentType === "image/png" ? await image.getBuffer("image/png") : await image.getBuffer("image/jpeg", { quality: 85 });
  return { bytes: new Uint8Array(bytes), contentType: img.contentType };
}
