import "server-only";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseFile } from "music-metadata";
import { artistInfo } from "../agents/artist-info";
import { albumLibraryId, findAlbumWithLibrary, findArtist, findTrackWithLibrary, newestAlbumOfArtist, trackCoverInfo } from "../db/catalog";
import { firstTrackIdOf } from "../db/playlists";
import { log } from "../log";
import { remember } from "../server/remember";
import { CoverCache } from "./cover-cache";
import { fetchExternalImage } from "./external-image";
import { fitWithin, MAX_IMAGE_BYTES, sizeBucket } from "./resize";

export interface CoverImage {
  bytes: Uint8Array;
  contentType: string;
}

const CACHE_LIMIT_BYTES = 32 * 1024 * 1024;
const TYPES: Record<string, string> = { ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif" };

/**
 * Recently served covers, by item and size bucket (extracting embedded art means parsing
 * the audio file; scaling means decoding). Kept in memory only: it refills from the
 * library in one decode per bucket after a restart.
 */
const cache = () => remember("coverImageCache", () => new CoverCache<CoverImage>(CACHE_LIMIT_BYTES));

/** Art larger than MAX_IMAGE_BYTES is treated as absent (a folder cover that large is not even read). */
function tooLarge(where: string, bytes: number): null {
  log.warn({ where, bytes }, "Cover image is too large to serve");
  return null;
}

function bounded(img: CoverImage | null, where: string): CoverImage | null {
  return img && img.bytes.length > MAX_IMAGE_BYTES ? tooLarge(where, img.bytes.length) : img;
}

async function embedded(trackId: string): Promise<CoverImage | null> {
  const mf = await findTrackWithLibrary(trackId);
  if (!mf) return null;
  const meta = await parseFile(path.join(mf.library.path, mf.path), { skipPostHeaders: true });
  const pic = meta.common.picture?.[0];
  return bounded(pic ? { bytes: pic.data, contentType: pic.format.includes("/") ? pic.format : `image/${pic.format}` } : null, mf.path);
}

async function albumCover(albumId: string): Promise<CoverImage | null> {
  const album = await findAlbumWithLibrary(albumId);
  if (!album || !album.coverArtPath) return null;
  if (album.coverArtPath.startsWith("embedded:")) return embedded(album.coverArtPath.slice("embedded:".length));
  const file = path.join(album.library.path, album.coverArtPath);
  const { size } = await stat(file);
  if (size > MAX_IMAGE_BYTES) return tooLarge(album.coverArtPath, size);
  return { bytes: await readFile(file), contentType: TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream" };
}

/** The stored agent image of an artist (asking the agents the first time, as getArtistInfo does). */
async function artistImage(artistId: string): Promise<CoverImage | null> {
  const artist = await findArtist(artistId);
  if (!artist) return null;
  const info = await artistInfo(artist);
  const url = info.largeImageUrl || info.mediumImageUrl || info.smallImageUrl;
  return url ? bounded(await fetchExternalImage(url), url) : null;
}

/** Where an item's art comes from, once the caller may see it: a cache key and a loader. */
interface CoverSource {
  key: string;
  load: () => Promise<CoverImage | null>;
}

/** The art source of a cover art id, or null when the item is missing or not in `allowed` libraries. */
async function findSource(kind: string, rest: string, allowed: number[]): Promise<CoverSource | null> {
  const key = `${kind}:${rest}`;
  let albumId: string | null = null;
  let trackId: string | null = null;
  if (kind === "al" || kind === "") albumId = rest;
  if (kind === "mf" || kind === "") trackId = rest;
  if (kind === "ar") {
    const newest = await newestAlbumOfArtist(rest, allowed);
    if (!newest) return null;
    // Artist art: the agents' image (Navidrome's `external` source), else the newest album's cover.
    return { key, load: async () => (await artistImage(rest)) ?? albumCover(newest.id) };
  }
  if (kind === "pl") {
    trackId = await firstTrackIdOf(rest);
  }
  if (trackId) {
    const mf = await trackCoverInfo(trackId);
    if (mf && allowed.includes(mf.libraryId)) {
      const track = trackId;
      return { key, load: async () => (mf.hasCoverArt ? await embedded(track) : null) ?? albumCover(mf.albumId) };
    }
  }
  if (albumId) {
    const libraryId = await albumLibraryId(albumId);
    const album = albumId;
    if (libraryId !== null && allowed.includes(libraryId)) return { key, load: () => albumCover(album) };
  }
  return null;
}

/**
 * Resolves a cover art id (`al-`, `mf-`, `ar-`, `pl-` prefixed, or a bare album/track id)
 * to image bytes, or null when the item has no art. `allowed` limits which libraries'
 * items may be served. `size` scales the image to fit a square of the size bucket at or
 * above it (see SIZE_BUCKETS: size=300 is answered with the 512 image), never enlarging;
 * an image that cannot be scaled is served as stored.
 */
export async function coverArt(id: string, allowed: number[], size = 0): Promise<CoverImage | null> {
  const [kind, rest] = /^(al|mf|ar|pl)-(.+)$/.exec(id)?.slice(1) ?? ["", id];
  const source = await findSource(kind, rest, allowed);
  if (!source) return null;
  const bucket = sizeBucket(size);
  return cache().getOrCompute(`${source.key}:${bucket}`, async () => {
    const img = await source.load();
    if (!img || bucket === 0) return { value: img, keep: true };
    const { image, fallback } = await fitWithin(img, bucket);
    // A full queue says nothing about the image: the next request tries to scale it again.
    return { value: image, keep: fallback !== "busy" };
  });
}
