/**
 * Writes small, valid, tagged audio files without any external encoder: PCM WAV with an
 * ID3v2.4 tag in an `id3 ` chunk (read by music-metadata, playable by browsers), and PNG
 * cover images. Used for the demo library and for generated test and benchmark libraries.
 */
import { deflateSync } from "node:zlib";

export interface TrackTags {
  title: string;
  artist: string;
  /** Several credited artists (ID3v2.4 multi-value TPE1); `artist` is then ignored. */
  artists?: string[];
  album: string;
  albumArtist?: string;
  track?: number;
  trackTotal?: number;
  disc?: number;
  discTotal?: number;
  year?: number;
  genre?: string;
  isrc?: string;
  mbzRecordingId?: string;
  mbzAlbumId?: string;
  mbzArtistId?: string;
  mbzAlbumArtistId?: string;
  mbzReleaseGroupId?: string;
  lyrics?: string;
  cover?: Uint8Array;
}

const utf8 = (s: string) => Buffer.from(s, "utf8");

function synchsafe(n: number): Buffer {
  return Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
}

function frame(id: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(id, "latin1"), synchsafe(body.length), Buffer.from([0, 0]), body]);
}

const text = (id: string, value: string) => frame(id, Buffer.concat([Buffer.from([3]), utf8(value)]));
const txxx = (desc: string, value: string) => frame("TXXX", Buffer.concat([Buffer.from([3]), utf8(desc), Buffer.from([0]), utf8(value)]));

/** An ID3v2.4 tag (UTF-8 text frames). */
export function id3v24(tags: TrackTags): Buffer {
  const frames: Buffer[] = [text("TIT2", tags.title), text("TPE1", tags.artists?.join("\0") ?? tags.artist), text("TALB", tags.album)];
  if (tags.albumArtist) frames.push(text("TPE2", tags.albumArtist));
  if (tags.track) frames.push(text("TRCK", tags.trackTotal ? `${tags.track}/${tags.trackTotal}` : String(tags.track)));
  if (tags.disc) frames.push(text("TPOS", tags.discTotal ? `${tags.disc}/${tags.discTotal}` : String(tags.disc)));
  if (tags.year) frames.push(text("TDRC", String(tags.year)));
  if (tags.genre) frames.push(text("TCON", tags.genre));
  if (tags.isrc) frames.push(text("TSRC", tags.isrc));
  if (tags.mbzAlbumId) frames.push(txxx("MusicBrainz Album Id", tags.mbzAlbumId));
  if (tags.mbzArtistId) frames.push(txxx("MusicBrainz Artist Id", tags.mbzArtistId));
  if (tags.mbzAlbumArtistId) frames.push(txxx("MusicBrainz Album Artist Id", tags.mbzAlbumArtistId));
  if (tags.mbzReleaseGroupId) frames.push(txxx("MusicBrainz Release Group Id", tags.mbzReleaseGroupId));
  if (tags.mbzRecordingId) frames.push(frame("UFID", Buffer.concat([Buffer.from("http://musicbrainz.org\0", "latin1"), Buffer.from(tags.mbzRecordingId, "latin1")])));
  if (tags.lyrics) frames.push(frame("USLT", Buffer.concat([Buffer.from([3]), Buffer.from("eng", "latin1"), Buffer.from([0]), utf8(tags.lyrics)])));
  if (tags.cover)
    frames.push(frame("APIC", Buffer.concat([Buffer.from([3]), Buffer.from("image/png\0", "latin1"), Buffer.from([3]), Buffer.from([0]), Buffer.from(tags.cover)])));
  const body = Buffer.concat(frames);
  return Buffer.concat([Buffer.from("ID3", "latin1"), Buffer.from([4, 0, 0]), synchsafe(body.length), body]);
}

/**
 * A mono 16-bit PCM WAV of `seconds` of a soft sine tone at `hz` (an audible, valid
 * stream), with the tags in an `id3 ` chunk.
 */
export function wavWithTags(tags: TrackTags, opts: { seconds: number; hz?: number; sampleRate?: number }): Buffer {
  const rate = opts.sampleRate ?? 8000;
  const n = Math.round(opts.seconds * rate);
  const pcm = Buffer.alloc(n * 2);
  const hz = opts.hz ?? 440;
  for (let i = 0; i < n; i++) {
    const fade = Math.min(1, i / 400, (n - i) / 400);
    pcm.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 6000 * fade), i * 2);
  }
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(1, 0); // PCM
  fmt.writeUInt16LE(1, 2); // mono
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE(rate * 2, 8);
  fmt.writeUInt16LE(2, 12);
  fmt.writeUInt16LE(16, 14);
  const chunk = (id: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.write(id, 0, "latin1");
    head.writeUInt32LE(data.length, 4);
    return Buffer.concat([head, data, data.length % 2 ? Buffer.from([0]) : Buffer.alloc(0)]);
  };
  const body = Buffer.concat([Buffer.from("WAVE", "latin1"), chunk("fmt ", fmt), chunk("data", pcm), chunk("id3 ", id3v24(tags))]);
  const riff = Buffer.alloc(8);
  riff.write("RIFF", 0, "latin1");
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A `size`×`size` PNG: a diagonal gradient between two RGB colours (recognisable covers). */
export function coverPng(size: number, from: [number, number, number], to: [number, number, number]): Buffer {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const t = (x + y) / (2 * size - 2 || 1);
      const at = y * (size * 3 + 1) + 1 + x * 3;
      for (let c = 0; c < 3; c++) raw[at + c] = Math.round(from[c] + (to[c] - from[c]) * t);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}
