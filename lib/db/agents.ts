import "server-only";
import { catalogChanged } from "./catalog-generation";
import { db } from "./client";
import type { Album, Artist, MediaFile } from "./generated/prisma/client";

/**
 * The queries of the metadata-agents domain (lib/agents): reading artists and albums to
 * enrich, storing what the agents answered, and the library side of similar songs.
 */

export async function findArtist(id: string): Promise<Artist | null> {
  return db().artist.findUnique({ where: { id } });
}

export async function findAlbum(id: string): Promise<Album | null> {
  return db().album.findUnique({ where: { id } });
}

/** Stores agent answers on an artist (biography, images, URL, similar artists, timestamp). */
export async function saveArtistInfo(id: string, data: Partial<Artist>): Promise<Artist> {
  try {
    return await db().artist.update({ where: { id }, data });
  } finally {
    catalogChanged(); // artist images are in cached getArtists answers (lib/catalog/artist-index-cache)
  }
}

/** Stores agent answers on an album (notes, URL, MBID, images, timestamp). */
export async function saveAlbumInfo(id: string, data: Partial<Album>): Promise<Album> {
  return db().album.update({ where: { id }, data });
}

/** Library artists with one of these exact names. */
export async function artistsNamed(names: string[]): Promise<Artist[]> {
  return db().artist.findMany({ where: { name: { in: names } } });
}

/** Every track of these artists in these libraries. */
export async function tracksOfArtists(artistIds: string[], libraryIds: number[]): Promise<MediaFile[]> {
  return db().mediaFile.findMany({ where: { libraryId: { in: libraryIds }, artistId: { in: artistIds } } });
}
