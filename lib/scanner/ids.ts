import { createHash } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** 22 base62 characters from a SHA-1 (about 131 bits): opaque, stable, URL-safe. */
function base62Id(text: string): string {
  let n = BigInt(`0x${createHash("sha1").update(text).digest("hex")}`);
  let out = "";
  for (let i = 0; i < 22; i++) {
    out += ALPHABET[Number(n % 62n)];
    n /= 62n;
  }
  return out;
}

const norm = (s: string) => s.normalize("NFC").trim().toLowerCase();

/**
 * Album and artist ids repeat on every track of an album or artist: a scan asks for the same
 * few thousand again and again, so recent answers are kept (bounded; cleared when full).
 */
const recent = new Map<string, string>();
function memo(key: string, make: () => string): string {
  let id = recent.get(key);
  if (id === undefined) {
    id = make();
    if (recent.size >= 20_000) recent.clear();
    recent.set(key, id);
  }
  return id;
}

/**
 * Ids are derived from what identifies an item, so they survive rescans and database
 * rebuilds (clients keep them in playlists and offline caches): a track by its library
 * and path, an album by library, album artist and name, an artist by name.
 */
export const trackId = (libraryId: number, relPath: string) => base62Id(`track\0${libraryId}\0${relPath}`);
export const albumId = (libraryId: number, albumArtist: string, album: string) =>
  memo(`album\0${libraryId}\0${albumArtist}\0${album}`, () => base62Id(`album\0${libraryId}\0${norm(albumArtist)}\0${norm(album)}`));
export const artistId = (name: string) => memo(`artist\0${name}`, () => base62Id(`artist\0${norm(name)}`));
