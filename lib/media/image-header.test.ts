import { describe, expect, it } from "vitest";
import { readImageHeader, sniffImageType } from "./image-header";
import { sizeBucket } from "./resize";

const pngHeader = (w: number, h: number, interlace = 0) => {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
  b.writeUInt32BE(13, 8);
  b.write("IHDR", 12, "latin1");
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  b[28] = interlace;
  return b;
};
const seg = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];

describe("image headers", () => {
  it("reads PNG dimensions from IHDR without decoding", () => {
    expect(readImageHeader(pngHeader(8000, 6000))).toEqual({ type: "image/png", width: 8000, height: 6000, interlaced: false });
    expect(readImageHeader(pngHeader(10, 10, 1))?.interlaced).toBe(true);
    expect(readImageHeader(pngHeader(10, 10).subarray(0, 20))).toBeNull();
  });

  it("walks JPEG segments to the first SOFn, skipping APPn, DHT and fill bytes", () => {
    const jpeg = Buffer.from([0xff, 0xd8, ...seg(0xe0, [1, 2, 3, 4]), ...seg(0xc4, [0, 0]), 0xff, ...seg(0xc2, [8, 0x0b, 0xb8, 0x0f, 0xa0, 3])]);
    expect(readImageHeader(jpeg)).toEqual({ type: "image/jpeg", width: 4000, height: 3000, interlaced: false });
    // A scan before any frame header, or a header cut short, is not decodable.
    expect(readImageHeader(Buffer.from([0xff, 0xd8, ...seg(0xda, [0])]))).toBeNull();
    expect(readImageHeader(jpeg.subarray(0, jpeg.length - 4))).toBeNull();
  });

  it("sniffs the format from magic bytes, whatever the file is called", () => {
    expect(sniffImageType(Buffer.from("GIF89a\x01\x00\x01\x00", "latin1"))).toBe("image/gif");
    expect(sniffImageType(Buffer.from("RIFF\0\0\0\0WEBPVP8 ", "latin1"))).toBe("image/webp");
    expect(sniffImageType(Buffer.from("<svg/>"))).toBeNull();
    expect(readImageHeader(Buffer.from("GIF89a\x01\x00\x01\x00", "latin1"))).toBeNull(); // never decoded
  });
});

describe("size buckets", () => {
  it("serves each size from the next bucket up, capped at the largest; 0 is the stored image", () => {
    expect([0, -5, 1, 32, 33, 64, 65, 300, 512, 513, 1500, 5000].map(sizeBucket)).toEqual([0, 0, 32, 32, 64, 64, 128, 512, 512, 1024, 2048, 2048]);
  });
});
