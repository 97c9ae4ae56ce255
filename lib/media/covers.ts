import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseFile } from "music-metadata";
import { db } from "../db/client";
import { remember } from "../server/remember";
import { fetchExternalImage } from "./external-image";
import { fitWithin } from "./resize";

export interface CoverImage {
  bytes: Uint8Array;
  contentType: string;
}

const CACHE_LIMIT_BYTES = 32 * 1024 * 1024;
const TYPES: Record<string, string> = { ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif" };

/** Recently served covers (extracting embedded art means parsing the audio file). */
const cache = remember("coverCache", () => ({ map: new Map<string, CoverImage>(), bytes: 0 }));

function remember_(key: string, img: CoverImage): CoverImage {
  cache.map.set(key, img);
  cache.bytes += img.bytes.length;
  for (const [k, v] of cache.map) {
    if (cache.bytes <= CACHE_LIMIT_BYTES) break;
    cache.map.delete(k);
    cache.bytes -= v.bytes.length;
  }
  return img;
}

async function embedded(trackId: string): Promise<CoverImage | null> {
  const mf = await db().mediaFile.findUnique({ where: { id: trackId }, include: { library: true } });
  if (!mf) return null;
  const meta = await parseFile(path.join(mf.library.path, mf.path), { skipPostHeaders: true });
  const pic = meta.common.picture?.[0];
  return pic ? { bytes: pic.data, contentType: pic.format.includes("/") ? pic.format : `image/${pic.format}` } : null;
}

async function albumCover(albumId: string): Promise<CoverImage | null> {
  const album = await db().album.findUnique({ where: { id: albumId }, include: { library: true } });
  if (!album || !album.coverArtPath) return null;
  if (album.coverArtPath.startsWith("embedded:")) return embedded(album.coverArtPath.slice("embedded:".length));
  const file = path.join(album.library.path, album.coverArtPath);
  return { bytes: await readFile(file), contentType: TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream" };
}

const MAX_SIZE = 2000;

/** The stored agent image of an artist (asking the agents the first time, as getArtistInfo does). */
async function artistImage(artistId: string): Promise<CoverImage | null> {
  const artist = await db().artist.findUnique({ where: { id: artistId } });
  if (!artist) return null;
  const { artistInfo } = await import("../agents/artist-info");
  const info = await artistInfo(artist);
  const url = info.largeImageUrl || info.mediumImageUrl || info.smallImageUrl;
  return url ? fetchExternalImage(url) : null;
}

/** `size` 0 keeps the stored image; otherwise it is scaled to fit (never enlarged). */
async function sized(img: CoverImage, size: number): Promise<CoverImage> {
  return size > 0 ? fitWithin(img, Math.min(size, MAX_SIZE)) : img;
}

/**
 * Resolves a cover art id (`al-`, `mf-`, `ar-`, `pl-` prefixed, or a bare album/track id)
 * to image bytes, or null when the item has no art. `allowed` limits which libraries'
 * items may be served; `size` scales the image to fit a square of that many pixels.
 */
export async function coverArt(id: string, allowed: number[], size = 0): Promise<CoverImage | null> {
  const [kind, rest] = /^(al|mf|ar|pl)-(.+)$/.exec(id)?.slice(1) ?? ["", id];
  const key = `${kind}:${rest}:${size}`;
  const hit = cache.map.get(key);
  if (hit) {
    cache.map.delete(key);
    cache.map.set(key, hit);
  }
  const visible = async (albumId: string) => {
    const a = await db().album.findUnique({ where: { id: albumId }, select: { libraryId: true } });
    return a !== null && allowed.includes(a.libraryId);
  };
  let albumId: string | null = null;
  let trackId: string | null = null;
  if (kind === "al" || kind === "") albumId = rest;
  if (kind === "mf" || kind === "") trackId = rest;
  if (kind === "ar") {
    const newest = await db().album.findFirst({ where: { albumArtistId: rest, libraryId: { in: allowed } }, orderBy: { maxYear: "desc" } });
    if (!newest) return null;
    // Artist art: the agents' image (Navidrome's `external` source), else the newest album's cover.
    if (hit) return hit;
    const external = await artistImage(rest);
    if (external) return remember_(key, await sized(external, size));
    albumId = newest.id;
  }
  if (kind === "pl") {
    const first = await db().playlistTrack.findFirst({ where: { playlistId: rest }, orderBy: { position: "asc" } });
    trackId = first?.mediaFileId ?? null;
  }
  if (trackId) {
    const mf = await db().mediaFile.findUnique({ where: { id: trackId }, select: { albumId: true, hasCoverArt: true, libraryId: true } });
    if (mf && allowed.includes(mf.libraryId)) {
      if (hit) return hit;
      const own = mf.hasCoverArt ? await embedded(trackId) : null;
      const img = own ?? (await albumCover(mf.albumId));
      return img ? remember_(key, await sized(img, size)) : null;
    }
  }
  if (albumId && (await visible(albumId))) {
    if (hit) return hit;
    const img = await albumCover(albumId);
    return img ? remember_(key, await sized(img, size)) : null;
  }
  return null;
}
