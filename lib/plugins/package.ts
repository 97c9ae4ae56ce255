import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { crc32, inflateRawSync } from "node:zlib";
import { ManifestError, PackageError } from "./errors";
import { parseManifest } from "./manifest/parse";
import type { Manifest } from "./manifest/types";

/**
 * `.ndp` packages (contract §1.1): a ZIP whose root entries `manifest.json` and
 * `plugin.wasm` are matched by exact name; everything else, including entries in
 * sub-folders, is ignored. Errors read like Navidrome's (`opening package: …`,
 * `package missing manifest.json`, `reading wasm: …`, `parsing manifest: …`).
 *
 * The archive is read with a small central-directory reader rather than adm-zip,
 * because adm-zip refuses duplicate entry names, which Go's `archive/zip` accepts and
 * the contract gives a meaning to (full load: last wins; manifest-only: first wins).
 * Reads are bounded: entry count, declared and inflated sizes.
 */

/** Entries an archive may hold. */
export const MAX_ENTRIES = 1000;
/** Largest `manifest.json`, declared and inflated. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Largest `plugin.wasm`, declared and inflated. */
export const MAX_WASM_BYTES = 256 * 1024 * 1024;

export interface OpenedPackage {
  manifest: Manifest;
  wasm: Uint8Array;
  /** `manifest.json` as found in the archive. */
  manifestBytes: Uint8Array;
}

/** Full load (plugin enable/load, upload check): the last matching entries win. */
export async function openPackage(input: string | Buffer): Promise<OpenedPackage> {
  return withArchive(input, async (src, entries) => {
    const manifestEntry = entries.findLast((e) => e.name === "manifest.json");
    const wasmEntry = entries.findLast((e) => e.name === "plugin.wasm");
    if (!manifestEntry) throw new PackageError("package missing manifest.json");
    if (!wasmEntry) throw new PackageError("package missing plugin.wasm");
    const manifestBytes = await readEntry(src, manifestEntry, MAX_MANIFEST_BYTES, "manifest");
    const wasm = await readEntry(src, wasmEntry, MAX_WASM_BYTES, "wasm");
    return { manifest: parsePackagedManifest(manifestBytes), wasm, manifestBytes };
  });
}

/** Discovery, enable gates, config checks: the first `manifest.json`; the wasm is not read. */
export async function readManifestOnly(input: string | Buffer): Promise<Manifest> {
  return withArchive(input, async (src, entries) => {
    const entry = entries.find((e) => e.name === "manifest.json");
    if (!entry) throw new PackageError("package missing manifest.json");
    return parsePackagedManifest(await readEntry(src, entry, MAX_MANIFEST_BYTES, "manifest"));
  });
}

/** Hex SHA-256 of the whole file: the change detector of folder sync. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function parsePackagedManifest(bytes: Uint8Array): Manifest {
  try {
    return parseManifest(bytes);
  } catch (err) {
    const path = err instanceof ManifestError ? err.path : "";
    throw new ManifestError(`parsing manifest: ${(err as Error).message}`, path, { cause: err });
  }
}

// ── archive access ───────────────────────────────────────────────────────────

interface Source {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

interface Entry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Go's `zip.ErrFormat` and friends, so messages read like Navidrome's. */
const ERR_FORMAT = "zip: not a valid zip file";
const ERR_ALGORITHM = "zip: unsupported compression algorithm";
const ERR_CHECKSUM = "zip: checksum error";
const ERR_EOF = "unexpected EOF";

class ZipError extends Error {}

async function withArchive<T>(input: string | Buffer, use: (src: Source, entries: Entry[]) => Promise<T>): Promise<T> {
  let close = async () => {};
  let src: Source;
  let entries: Entry[];
  try {
    if (typeof input === "string") {
      const handle = await open(input, "r");
      close = () => handle.close();
      src = { size: (await handle.stat()).size, read: (offset, length) => readFrom(handle, offset, length) };
    } else {
      src = { size: input.length, read: async (offset, length) => input.subarray(offset, offset + length) };
    }
    entries = await readDirectory(src);
  } catch (err) {
    await close();
    throw new PackageError(`opening package: ${(err as Error).message}`, { cause: err });
  }
  try {
    return await use(src, entries);
  } finally {
    await close();
  }
}

async function readFrom(handle: import("node:fs/promises").FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buf, 0, length, offset);
  return buf.subarray(0, bytesRead);
}

const EOCD_LEN = 22;

/** Reads the central directory (with its zip64 forms), refusing more than MAX_ENTRIES. */
async function readDirectory(src: Source): Promise<Entry[]> {
  const tailStart = Math.max(0, src.size - (0xffff + EOCD_LEN));
  const tail = await src.read(tailStart, src.size - tailStart);
  let at = -1;
  for (let i = tail.length - EOCD_LEN; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50 && i + EOCD_LEN + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipError(ERR_FORMAT);
  let count = tail.readUInt16LE(at + 10);
  let dirSize = tail.readUInt32LE(at + 12);
  let dirOffset = tail.readUInt32LE(at + 16);
  const eocd = tailStart + at;
  if ((count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) && eocd >= 20) {
    const locator = await src.read(eocd - 20, 20);
    if (locator.readUInt32LE(0) === 0x07064b50) {
      const record = await src.read(safeNumber(locator.readBigUInt64LE(8)), 56);
      if (record.length < 56 || record.readUInt32LE(0) !== 0x06064b50) throw new ZipError(ERR_FORMAT);
      count = safeNumber(record.readBigUInt64LE(32));
      dirSize = safeNumber(record.readBigUInt64LE(40));
      dirOffset = safeNumber(record.readBigUInt64LE(48));
    }
  }
  if (count > MAX_ENTRIES) throw new ZipError(`too many entries: ${count} (limit ${MAX_ENTRIES})`);
  if (dirOffset + dirSize > src.size) throw new ZipError(ERR_FORMAT);
  const dir = await src.read(dirOffset, dirSize);
  const entries: Entry[] = [];
  for (let pos = 0, i = 0; i < count; i++) {
    if (pos + 46 > dir.length || dir.readUInt32LE(pos) !== 0x02014b50) throw new ZipError(ERR_FORMAT);
    const nameLen = dir.readUInt16LE(pos + 28);
    const extraLen = dir.readUInt16LE(pos + 30);
    const commentLen = dir.readUInt16LE(pos + 32);
    if (pos + 46 + nameLen + extraLen > dir.length) throw new ZipError(ERR_FORMAT);
    const entry: Entry = {
      name: dir.toString("utf8", pos + 46, pos + 46 + nameLen),
      flags: dir.readUInt16LE(pos + 8),
      method: dir.readUInt16LE(pos + 10),
      crc: dir.readUInt32LE(pos + 16),
      compressedSize: dir.readUInt32LE(pos + 20),
      size: dir.readUInt32LE(pos + 24),
      localOffset: dir.readUInt32LE(pos + 42),
    };
    applyZip64Extra(entry, dir.subarray(pos + 46 + nameLen, pos + 46 + nameLen + extraLen));
    entries.push(entry);
    pos += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The zip64 extra field carries, in order, whichever of the 32-bit fields are saturated. */
function applyZip64Extra(entry: Entry, extra: Buffer): void {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const next = () => (q + 8 <= p + 4 + len && q + 8 <= extra.length ? safeNumber(extra.readBigUInt64LE((q += 8) - 8)) : undefined);
      if (entry.size === 0xffffffff) entry.size = next() ?? entry.size;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.localOffset === 0xffffffff) entry.localOffset = next() ?? entry.localOffset;
      return;
    }
    p += 4 + len;
  }
}

function safeNumber(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError(ERR_FORMAT);
  return Number(n);
}

/**
 * An entry's bytes, as Go's checksum reader yields them: more bytes than declared is a
 * format error, fewer is an unexpected EOF, a CRC mismatch a checksum error. Sizes over
 * `limit` are refused before anything is inflated, and inflation stops one byte past
 * the declared size.
 */
async function readEntry(src: Source, entry: Entry, limit: number, what: "manifest" | "wasm"): Promise<Uint8Array> {
  try {
    if (entry.size > limit) throw new ZipError(`${entry.name} is too large: ${entry.size} bytes (limit ${limit})`);
    // Deflate never grows data by more than a few bytes per 16 KiB block.
    if (entry.compressedSize > limit + (limit >> 4) + 1024) throw new ZipError(`${entry.name} is too large: ${entry.compressedSize} compressed bytes (limit ${limit})`);
    const local = await src.read(entry.localOffset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) throw new ZipError(ERR_FORMAT);
    const dataStart = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    const raw = await src.read(dataStart, entry.compressedSize);
    if (raw.length < entry.compressedSize) throw new ZipError(ERR_EOF);
    const data = decompress(entry, raw);
    if (data.length > entry.size) throw new ZipError(ERR_FORMAT);
    if (data.length < entry.size) throw new ZipError(ERR_EOF);
    if (crc32(data) !== entry.crc) throw new ZipError(ERR_CHECKSUM);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (err) {
    throw new PackageError(`reading ${what}: ${(err as Error).message}`, { cause: err });
  }
}

function decompress(entry: Entry, raw: Buffer): Buffer {
  if (entry.method === 0) return raw;
  if (entry.method !== 8) throw new ZipError(ERR_ALGORITHM);
  try {
    return inflateRawSync(raw, { maxOutputLength: entry.size + 1 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ERR_BUFFER_TOO_LARGE") throw new ZipError(ERR_FORMAT);
    if (code === "Z_BUF_ERROR") throw new ZipError(ERR_EOF);
    throw new ZipError("flate: corrupt input");
  }
}
