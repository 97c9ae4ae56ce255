/**
 * Reads an image's format and dimensions from its first bytes, without decoding it, so a
 * cover whose header promises more pixels than we are willing to hold is refused before
 * any decoder allocates them (an 8000×8000 PNG of one colour is only ~60 KB).
 */

/** The formats we recognise by their magic bytes. Only PNG and JPEG are ever decoded. */
export type ImageType = "image/png" | "image/jpeg" | "image/gif" | "image/webp";

export interface ImageHeader {
  type: "image/png" | "image/jpeg";
  width: number;
  height: number;
  /** PNG Adam7 interlacing: the decoder inflates such images without an output bound. */
  interlaced: boolean;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const ascii = (b: Uint8Array, at: number, s: string) => s.split("").every((c, i) => b[at + i] === c.charCodeAt(0));

/** The format the bytes are in (whatever the file name or Content-Type claimed), or null. */
export function sniffImageType(b: Uint8Array): ImageType | null {
  if (b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v)) return "image/png";
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.length >= 6 && (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a"))) return "image/gif";
  if (b.length >= 12 && ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return "image/webp";
  return null;
}

const u16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u32 = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

/** PNG: the IHDR chunk must come first (PNG spec §5.6). */
function pngHeader(b: Uint8Array): ImageHeader | null {
  if (b.length < 33 || u32(b, 8) !== 13 || !ascii(b, 12, "IHDR")) return null;
  return { type: "image/png", width: u32(b, 16), height: u32(b, 20), interlaced: b[28] !== 0 };
}

/** Start-of-frame markers (baseline, extended, progressive, lossless; not DHT C4, JPG C8, DAC CC). */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/**
 * JPEG: walks the marker segments (each jump is by the segment's own length, so this is
 * linear in the number of segments) up to the first SOFn. A scan (SOS) before any frame
 * header, or a header that runs off the end, is not a JPEG we decode.
 */
function jpegHeader(b: Uint8Array): ImageHeader | null {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2; // stand-alone markers carry no length
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return null;
    const length = u16(b, at + 2);
    if (length < 2) return null;
    if (SOF.has(marker)) {
      if (at + 9 > b.length) return null;
      return { type: "image/jpeg", height: u16(b, at + 5), width: u16(b, at + 7), interlaced: false };
    }
    at += 2 + length;
  }
  return null;
}

/** The header of a PNG or JPEG, or null for anything else (other formats, truncated or corrupt headers). */
export function readImageHeader(b: Uint8Array): ImageHeader | null {
  const type = sniffImageType(b);
  if (type === "image/png") return pngHeader(b);
  if (type === "image/jpeg") return jpegHeader(b);
  return null;
}
