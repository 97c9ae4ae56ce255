#!/usr/bin/env node
// Draws Tessitura's icons into public/ (favicon.ico, icon.svg, PNG app icons): a beamed pair of
// notes on the theme colour. Plain Node (zlib for PNG), so no image dependency; run it again
// after changing the shapes below: `node scripts/make-icons.mjs`.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";

const out = path.resolve(import.meta.dirname, "..", "public");
const BG = [0x5b, 0x3c, 0xc4];
const FG = [0xff, 0xff, 0xff];

// Shapes in a unit square (y down). Heads are ellipses tilted like engraved note heads.
const heads = [
  { cx: 0.36, cy: 0.7, rx: 0.115, ry: 0.082 },
  { cx: 0.68, cy: 0.62, rx: 0.115, ry: 0.082 },
];
const TILT = (-22 * Math.PI) / 180;
const stems = [
  { x0: 0.43, x1: 0.47, y0: 0.27, y1: 0.69 },
  { x0: 0.75, x1: 0.79, y0: 0.19, y1: 0.61 },
];
const beam = { x0: 0.43, x1: 0.79, yAt: (x) => 0.27 + ((x - 0.43) * (0.19 - 0.27)) / (0.79 - 0.43), thick: 0.085 };

function inRoundedSquare(x, y, r = 0.2) {
  const dx = Math.max(r - x, 0, x - (1 - r));
  const dy = Math.max(r - y, 0, y - (1 - r));
  return dx * dx + dy * dy <= r * r;
}
function inNote(x, y) {
  for (const h of heads) {
    const px = x - h.cx, py = y - h.cy;
    const u = px * Math.cos(TILT) + py * Math.sin(TILT);
    const v = -px * Math.sin(TILT) + py * Math.cos(TILT);
    if ((u * u) / (h.rx * h.rx) + (v * v) / (h.ry * h.ry) <= 1) return true;
  }
  for (const s of stems) if (x >= s.x0 && x <= s.x1 && y >= s.y0 && y <= s.y1) return true;
  if (x >= beam.x0 && x <= beam.x1 && y >= beam.yAt(x) && y <= beam.yAt(x) + beam.thick) return true;
  return false;
}

/** RGBA pixels of the icon at `size`, 4×4 supersampled. */
function render(size) {
  const px = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let j = 0; j < size; j++)
    for (let i = 0; i < size; i++) {
      let bg = 0, fg = 0;
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) {
          const x = (i + (a + 0.5) / n) / size, y = (j + (b + 0.5) / n) / size;
          if (!inRoundedSquare(x, y)) continue;
          if (inNote(x, y)) fg++;
          else bg++;
        }
      const cover = (bg + fg) / (n * n);
      const o = (j * size + i) * 4;
      for (let c = 0; c < 3; c++) px[o + c] = cover ? Math.round((BG[c] * bg + FG[c] * fg) / (bg + fg)) : 0;
      px[o + 3] = Math.round(cover * 255);
    }
  return px;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size) {
  const px = render(size);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) px.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}
/** An .ico holding PNG images (supported by every current browser). */
function ico(sizes) {
  const images = sizes.map(png);
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((s, k) => {
    const e = 6 + 16 * k;
    header[e] = s >= 256 ? 0 : s;
    header[e + 1] = s >= 256 ? 0 : s;
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(images[k].length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += images[k].length;
  });
  return Buffer.concat([header, ...images]);
}

const f = (v) => +(v * 512).toFixed(1);
const headSvg = heads.map((h) => `<ellipse cx="${f(h.cx)}" cy="${f(h.cy)}" rx="${f(h.rx)}" ry="${f(h.ry)}" transform="rotate(-22 ${f(h.cx)} ${f(h.cy)})"/>`).join("");
const stemSvg = stems.map((s) => `<rect x="${f(s.x0)}" y="${f(s.y0)}" width="${f(s.x1 - s.x0)}" height="${f(s.y1 - s.y0)}"/>`).join("");
const beamSvg = `<polygon points="${f(beam.x0)},${f(beam.yAt(beam.x0))} ${f(beam.x1)},${f(beam.yAt(beam.x1))} ${f(beam.x1)},${f(beam.yAt(beam.x1) + beam.thick)} ${f(beam.x0)},${f(beam.yAt(beam.x0) + beam.thick)}"/>`;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><title>Tessitura</title><rect width="512" height="512" rx="${f(0.2)}" fill="#5b3cc4"/><g fill="#fff">${headSvg}${stemSvg}${beamSvg}</g></svg>\n`;

writeFileSync(path.join(out, "icon.svg"), svg);
writeFileSync(path.join(out, "favicon.ico"), ico([16, 32, 48]));
for (const [name, size] of [["icon-192.png", 192], ["icon-512.png", 512], ["apple-touch-icon.png", 180]]) writeFileSync(path.join(out, name), png(size));
console.log(`icons written to ${out}`);
