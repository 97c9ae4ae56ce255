import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { coverPng } from "../media/audio-writer";

/**
 * A big generated library for scale tests and `npm run bench -- --scale`: `tracks` tiny,
 * valid FLAC files (a STREAMINFO, Vorbis comments, sometimes a PICTURE, then a few silent
 * frames with correct CRCs, so ffmpeg plays them) under `Artist/Year - Album[/CDn]/NN - Title.flac`.
 *
 * FLAC because music-metadata reads it fastest (duration comes from STREAMINFO, no frame
 * walk as for MP3 or chunk walk as for WAV) and because every Subsonic peer reads it.
 * Files are written from shared template bytes with only the comment block built per track,
 * and everything derives from `seed`, so the same parameters give the same bytes. A marker
 * file (`.big-library.json`, hidden from the scanner) records the parameters: a folder that
 * already holds this library is left alone, one holding anything else is rebuilt.
 */
export interface BigLibraryOptions {
  tracks: number;
  seed?: number;
  /** Fraction of albums whose tracks embed a cover (default 0.1); another 0.3 get a folder `cover.png`. */
  embeddedCoverShare?: number;
}

/** What a generated library holds (written to the marker file). */
export interface BigLibraryInfo {
  version: number;
  tracks: number;
  seed: number;
  embeddedCoverShare: number;
  albums: number;
  artists: number;
}

/** Bump when the bytes written change, so cached libraries are rebuilt. */
const FORMAT_VERSION = 1;
const MARKER = ".big-library.json";

// ---- deterministic randomness

/** mulberry32: a tiny seeded PRNG; the same seed gives the same library everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

function uuid(rnd: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// ---- names: unique by construction (the index is spelled in syllables), in several scripts

const SCRIPTS: readonly (readonly string[])[] = [
  ["ka", "lo", "mi", "ren", "sa", "to", "vel", "an", "dor", "bri", "el", "fin", "gar", "hu", "is", "jo"],
  ["é", "ø", "ü", "ñ", "ça", "ão", "ß", "å", "ë", "ï", "ô", "ž", "ł", "ő", "ý", "æ"],
  ["ка", "ро", "ми", "на", "ве", "ли", "то", "ск", "жа", "бо", "ль", "ду", "ша", "го", "ре", "зи"],
  ["山", "川", "風", "音", "花", "月", "星", "海", "雪", "光", "森", "空", "夢", "雨", "火", "石"],
  ["あ", "か", "さ", "た", "な", "は", "ま", "や", "ら", "わ", "き", "し", "ち", "に", "ひ", "み"],
];
/** Share of names in each script: mostly Latin, a fair amount of accents, some Cyrillic and CJK. */
const SCRIPT_WEIGHTS = [0.55, 0.2, 0.12, 0.08, 0.05];

function spell(n: number, syllables: readonly string[]): string {
  let out = "";
  do {
    out += syllables[n % syllables.length];
    n = Math.floor(n / syllables.length);
  } while (n > 0);
  return out;
}

function scriptOf(rnd: () => number): number {
  let r = rnd();
  for (let i = 0; i < SCRIPT_WEIGHTS.length; i++) if ((r -= SCRIPT_WEIGHTS[i]) < 0) return i;
  return 0;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const ARTICLES = ["", "", "", "The ", "Los ", "Les "];
const WORDS = ["Blue", "Night", "Échos", "Мир", "Río", "Dream", "Stone", "Fire", "Żywioł", "Nové", "Sound", "Garden", "夜", "Light", "Ocean", "Road"];
const GENRES = ["Rock", "Jazz", "Pop", "Folk", "Electronic", "Hip-Hop", "Classical", "Metal", "Soul", "Reggae", "Blues", "Ambient", "Indie", "Punk", "Country", "J-Pop", "Chanson", "Bossa Nova", "Techno", "Фолк"];

function artistName(i: number, rnd: () => number): string {
  const s = scriptOf(rnd);
  const core = capital(spell(i, SCRIPTS[s]));
  return s === 0 ? `${pick(rnd, ARTICLES)}${core} ${pick(rnd, WORDS)}` : `${core} ${pick(rnd, WORDS)}`;
}

function titleOf(rnd: () => number, salt: number): string {
  const s = scriptOf(rnd);
  return `${pick(rnd, WORDS)} ${capital(spell(salt, SCRIPTS[s]))}`;
}

const safe = (s: string) => s.replace(/[\\/:*?"<>|]/g, "_");

// ---- FLAC bytes

function crc8(buf: Uint8Array): number {
  let c = 0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
  }
  return c;
}

function crc16(buf: Uint8Array): number {
  let c = 0;
  for (const b of buf) {
    c ^= b << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x8005) & 0xffff : (c << 1) & 0xffff;
  }
  return c;
}

const SAMPLE_RATE = 8000;
const BLOCK = 4096;
const FRAMES = 2; // ~1 s of silence

/** One silent mono 16-bit frame (a CONSTANT subframe of 0), numbered `n`. */
function silentFrame(n: number): Buffer {
  // sync + fixed blocking; block size code 0111 (16-bit size follows) | sample rate 0100 (8 kHz);
  // mono, 16-bit; frame number (UTF-8, < 128); block size − 1; CRC-8.
  const head = Buffer.from([0xff, 0xf8, 0x74, 0x08, n, (BLOCK - 1) >> 8, (BLOCK - 1) & 0xff]);
  const withCrc = Buffer.concat([head, Buffer.from([crc8(head)]), Buffer.from([0x00, 0x00, 0x00])]);
  const crc = crc16(withCrc);
  return Buffer.concat([withCrc, Buffer.from([crc >> 8, crc & 0xff])]);
}

function metadataBlock(type: number, body: Buffer, last: boolean): Buffer {
  const head = Buffer.from([(last ? 0x80 : 0) | type, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff]);
  return Buffer.concat([head, body]);
}

function streamInfo(): Buffer {
  const b = Buffer.alloc(34);
  b.writeUInt16BE(BLOCK, 0);
  b.writeUInt16BE(BLOCK, 2);
  // min/max frame size unknown (0); then 20 bits rate, 3 bits channels−1, 5 bits bps−1, 36 bits samples
  const total = BLOCK * FRAMES;
  b[10] = (SAMPLE_RATE >> 12) & 0xff;
  b[11] = (SAMPLE_RATE >> 4) & 0xff;
  b[12] = ((SAMPLE_RATE & 0x0f) << 4) | (0 << 1) | (15 >> 4);
  b[13] = ((15 & 0x0f) << 4) | (Math.floor(total / 2 ** 32) & 0x0f);
  b.writeUInt32BE(total >>> 0, 14);
  return b; // MD5 left zero: "not computed", allowed by the format
}

function pictureBody(png: Buffer): Buffer {
  const mime = Buffer.from("image/png", "latin1");
  const head = Buffer.alloc(4 + 4 + mime.length + 4);
  head.writeUInt32BE(3, 0); // front cover
  head.writeUInt32BE(mime.length, 4);
  mime.copy(head, 8);
  head.writeUInt32BE(0, 8 + mime.length); // empty description
  const dims = Buffer.alloc(20);
  dims.writeUInt32BE(16, 0);
  dims.writeUInt32BE(16, 4);
  dims.writeUInt32BE(24, 8);
  dims.writeUInt32BE(0, 12);
  dims.writeUInt32BE(png.length, 16);
  return Buffer.concat([head, dims, png]);
}

const VENDOR = Buffer.from("tessitura big-library", "utf8");

/** The Vorbis comment block body: the only part built per track. */
function vorbisComments(fields: [string, string][]): Buffer {
  const parts = fields.map(([k, v]) => Buffer.from(`${k}=${v}`, "utf8"));
  const out = Buffer.alloc(4 + VENDOR.length + 4 + parts.reduce((n, p) => n + 4 + p.length, 0));
  let at = out.writeUInt32LE(VENDOR.length, 0);
  at += VENDOR.copy(out, at);
  at = out.writeUInt32LE(parts.length, at);
  for (const p of parts) {
    at = out.writeUInt32LE(p.length, at);
    at += p.copy(out, at);
  }
  return out;
}

interface Templates {
  head: Buffer;
  audio: Buffer;
  picture: Buffer;
  folderCover: Buffer;
}

function templates(): Templates {
  const cover = coverPng(16, [20, 40, 160], [250, 200, 80]);
  return {
    head: Buffer.concat([Buffer.from("fLaC", "latin1"), metadataBlock(0, streamInfo(), false)]),
    audio: Buffer.concat(Array.from({ length: FRAMES }, (_, i) => silentFrame(i))),
    picture: metadataBlock(6, pictureBody(cover), false),
    folderCover: coverPng(32, [160, 30, 60], [240, 240, 200]),
  };
}

/** A whole FLAC file: template head, this track's comments, the shared picture when asked, the shared audio. */
function flacFile(t: Templates, comments: [string, string][], embedCover: boolean): Buffer {
  const parts = [t.head];
  if (embedCover) parts.push(t.picture);
  parts.push(metadataBlock(4, vorbisComments(comments), true), t.audio);
  return Buffer.concat(parts);
}

// ---- the library plan

interface PlannedTrack {
  rel: string;
  comments: [string, string][];
  embedCover: boolean;
}

interface PlannedAlbum {
  dir: string;
  folderCover: boolean;
  tracks: PlannedTrack[];
}

/**
 * Albums one after another until `tracks` files are planned: about 4 % compilations
 * (Various Artists, one artist per track), 10 % of tracks with a second credited artist,
 * 8 % two-disc albums, genres and years spread, MusicBrainz ids everywhere.
 */
function* planAlbums(opts: Required<BigLibraryOptions>, info: { albums: number; artists: number }): Generator<PlannedAlbum> {
  const rnd = prng(opts.seed);
  const artistCount = Math.max(1, Math.round(opts.tracks / 25));
  const artists = Array.from({ length: artistCount }, (_, i) => ({ name: artistName(i, rnd), mbid: uuid(rnd) }));
  info.artists = artistCount;
  let planned = 0;
  let albumNo = 0;
  while (planned < opts.tracks) {
    const compilation = rnd() < 0.04;
    const lead = artists[Math.floor(rnd() * artists.length)];
    const albumArtist = compilation ? { name: "Various Artists", mbid: "89ad4ac3-39f7-470e-963a-56509c546377" } : lead;
    const album = titleOf(rnd, albumNo);
    const year = 1960 + Math.floor(rnd() * 66);
    const genre = rnd() < 0.15 ? `${pick(rnd, GENRES)};${pick(rnd, GENRES)}` : pick(rnd, GENRES);
    const discs = rnd() < 0.08 ? 2 : 1;
    const perDisc = 6 + Math.floor(rnd() * 9);
    const cover = rnd();
    const embedCover = cover < opts.embeddedCoverShare;
    const folderCover = !embedCover && cover < opts.embeddedCoverShare + 0.3;
    const mbzAlbumId = uuid(rnd);
    const mbzReleaseGroupId = uuid(rnd);
    const dir = `${safe(albumArtist.name)}/${year} - ${safe(album)} [${albumNo}]`;
    const tracks: PlannedTrack[] = [];
    for (let d = 1; d <= discs && planned < opts.tracks; d++) {
      for (let n = 1; n <= perDisc && planned < opts.tracks; n++, planned++) {
        const title = titleOf(rnd, planned);
        const credited = compilation ? [artists[Math.floor(rnd() * artists.length)]] : [lead];
        if (rnd() < 0.1) credited.push(artists[Math.floor(rnd() * artists.length)]);
        const comments: [string, string][] = [
          ["TITLE", title],
          ["ALBUM", album],
          ["ARTIST", credited.map((a) => a.name).join(" feat. ")],
          ...credited.map((a): [string, string] => ["ARTISTS", a.name]),
          ["ALBUMARTIST", albumArtist.name],
          ["TRACKNUMBER", String(n)],
          ["TRACKTOTAL", String(perDisc)],
          ["DISCNUMBER", String(d)],
          ["DISCTOTAL", String(discs)],
          ["DATE", String(year)],
          ["GENRE", genre],
          ["MUSICBRAINZ_ALBUMID", mbzAlbumId],
          ["MUSICBRAINZ_RELEASEGROUPID", mbzReleaseGroupId],
          ["MUSICBRAINZ_ALBUMARTISTID", albumArtist.mbid],
          ...credited.map((a): [string, string] => ["MUSICBRAINZ_ARTISTID", a.mbid]),
          ["MUSICBRAINZ_TRACKID", uuid(rnd)],
          ["MUSICBRAINZ_RELEASETRACKID", uuid(rnd)],
          ["ISRC", `XXTES${String(year).slice(2)}${String(planned % 100000).padStart(5, "0")}`],
        ];
        if (compilation) comments.push(["COMPILATION", "1"]);
        const sub = discs > 1 ? `CD${d}/` : "";
        tracks.push({ rel: `${dir}/${sub}${String(n).padStart(2, "0")} - ${safe(title)}.flac`, comments, embedCover });
      }
    }
    albumNo++;
    yield { dir, folderCover, tracks };
  }
  info.albums = albumNo;
}

function readMarker(folder: string): BigLibraryInfo | null {
  try {
    return JSON.parse(readFileSync(path.join(folder, MARKER), "utf8")) as BigLibraryInfo;
  } catch {
    return null;
  }
}

/**
 * Writes the library into `folder` (cached: returns at once when the marker matches the
 * parameters; otherwise the folder is emptied and rebuilt). Files are written with a few
 * writes in flight so the disk, not this loop, sets the pace.
 */
export async function ensureBigLibrary(folder: string, options: BigLibraryOptions): Promise<BigLibraryInfo & { generated: boolean; ms: number }> {
  const opts: Required<BigLibraryOptions> = { seed: 1, embeddedCoverShare: 0.1, ...options };
  const t0 = performance.now();
  const old = readMarker(folder);
  if (old && old.version === FORMAT_VERSION && old.tracks === opts.tracks && old.seed === opts.seed && old.embeddedCoverShare === opts.embeddedCoverShare)
    return { ...old, generated: false, ms: performance.now() - t0 };
  if (existsSync(folder)) rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const t = templates();
  const info = { albums: 0, artists: 0 };
  const inflight = new Set<Promise<void>>();
  const write = async (file: string, bytes: Buffer) => {
    const h = await open(file, "w");
    try {
      await h.write(bytes);
    } finally {
      await h.close();
    }
  };
  for (const album of planAlbums(opts, info)) {
    const dirs = new Set(album.tracks.map((tr) => path.posix.dirname(tr.rel)));
    for (const d of dirs) mkdirSync(path.join(folder, d), { recursive: true });
    if (album.folderCover) writeFileSync(path.join(folder, album.dir, "cover.png"), t.folderCover);
    for (const tr of album.tracks) {
      const p = write(path.join(folder, tr.rel), flacFile(t, tr.comments, tr.embedCover)).finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= 32) await Promise.race(inflight);
    }
  }
  await Promise.all(inflight);
  const written: BigLibraryInfo = { version: FORMAT_VERSION, tracks: opts.tracks, seed: opts.seed, embeddedCoverShare: opts.embeddedCoverShare, ...info };
  // The marker goes last: an interrupted run leaves no marker and is redone.
  writeFileSync(path.join(folder, MARKER), JSON.stringify(written));
  return { ...written, generated: true, ms: performance.now() - t0 };
}

/**
 * The default cache folder for a library of `tracks` tracks: `$XDG_CACHE_HOME/tessitura/big-library/<tracks>`
 * (`~/.cache/…` by default). Outside the project on purpose: Next.js traces files under the project root
 * (the plugin engine's file system access makes it look everywhere), and 100 000 audio files there made
 * every `next build` crawl.
 */
export function bigLibraryFolder(tracks: number): string {
  const cache = process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache");
  return path.join(cache, "tessitura", "big-library", String(tracks));
}
