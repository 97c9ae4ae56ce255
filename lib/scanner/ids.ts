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
 * Ids are derived from what identifies an item, so they survive rescans and database
 * rebuilds (clients keep them in playlists and offline caches): a track by its library
 * and path, an album by library, album artist and name, an artist by name.
 */
export const trackId = (libraryId: number, relPath: string) => base62Id(`track\0${libraryId}\0${relPath}`);
export const albumId = (libraryId: number, albumArtist: string, album: string) => base62Id(`album\0${libraryId}\0${norm(albumArtist)}\0${norm(album)}`);
export const artistId = (name: string) => base62Id(`artist\0${norm(name)}`);
