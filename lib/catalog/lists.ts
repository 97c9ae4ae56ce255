import "server-only";
import { starredAnnotations } from "../db/annotations";
import type { Page } from "../db/catalog";
import {
  albumPage,
  annotatedAlbumPage,
  genreListsByAlbum,
  randomAlbumPage,
  randomTracks,
  starredAlbums,
  starredArtists,
  starredTracks,
  type AlbumAnnotationOrder,
  type AlbumPageQuery,
  type TrackFilter,
} from "../db/lists";
import type { Album, Annotation, Artist, MediaFile } from "../db/rows";
import { visibleArtistIds } from "./visibility";

/**
 * The album and song lists (getAlbumList, getRandomSongs, getGenres, getStarred) over some
 * libraries. Each list is one page read by SQLite in its order (lib/db/lists.ts): the number
 * of queries per request does not grow with the library.
 */

/** Rows in the order of `ids` (rows missing from the result are dropped). */
export function inOrder<T extends { id: string }>(ids: string[], rows: T[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is T => r !== undefined);
}

/** An album list: a stored order, a random pick, or by the user's annotations. */
export type AlbumListQuery = AlbumPageQuery | { by: "random" } | { by: AlbumAnnotationOrder };

/**
 * The shuffle each user pages through with `type=random`: a request at offset 0 draws a new
 * one, later offsets reuse it, so pages of one listing neither repeat nor skip albums (as
 * Navidrome reseeds its random order when a listing starts at offset 0).
 */
const randomSeeds = new Map<string, number>();
const MAX_SEEDS = 10_000;

function randomSeed(userId: string, offset: number): number {
  let seed = offset > 0 ? randomSeeds.get(userId) : undefined;
  if (seed === undefined) {
    seed = 1 + Math.floor(Math.random() * 2_000_000_000);
    if (randomSeeds.size >= MAX_SEEDS) randomSeeds.clear();
    randomSeeds.set(userId, seed);
  }
  return seed;
}

/** One page (`size` from `offset`) of the albums in these libraries, in the list's order. */
export async function albumList(userId: string, libraryIds: number[], q: AlbumListQuery, offset: number, size: number): Promise<Album[]> {
  const page = { skip: offset, take: size };
  switch (q.by) {
    case "random":
      return randomAlbumPage(libraryIds, randomSeed(userId, offset), page);
    case "starred":
    case "highest":
    case "frequent":
    case "recent":
      return annotatedAlbumPage(userId, libraryIds, q.by, page);
    default:
      return albumPage(libraryIds, q, page);
  }
}

/** Up to `size` random tracks in these libraries that pass the filter. */
export async function randomSongs(libraryIds: number[], filter: TrackFilter, size: number): Promise<MediaFile[]> {
  return size > 0 ? randomTracks(libraryIds, filter, size) : [];
}

/** Every genre of the tracks in these libraries with its song and album counts, by name (case-insensitive). */
export async function genreCounts(libraryIds: number[]): Promise<{ value: string; songCount: number; albumCount: number }[]> {
  const acc = new Map<string, { songs: number; albums: Set<string> }>();
  for (const r of await genreListsByAlbum(libraryIds)) {
    for (const g of JSON.parse(r.genres) as string[]) {
      const e = acc.get(g) ?? { songs: 0, albums: new Set<string>() };
      e.songs += Number(r.n);
      e.albums.add(r.albumId);
      acc.set(g, e);
    }
  }
  return [...acc.entries()]
    .sort(([a], [b]) => a.localeCompare(b, undefined, { sensitivity: "base" }))
    .map(([value, e]) => ({ value, songCount: e.songs, albumCount: e.albums.size }));
}

/** A user's starred artists, albums and songs within these libraries, newest star first, with the star rows. */
export async function starredItems(userId: string, libraryIds: number[]): Promise<{ stars: Annotation[]; artists: Artist[]; albums: Album[]; songs: MediaFile[] }> {
  const [stars, artists, albums, songs] = await Promise.all([
    starredAnnotations(userId),
    visibleArtistIds(libraryIds).then((visible) => starredArtists(userId, visible)),
    starredAlbums(userId, libraryIds),
    starredTracks(userId, libraryIds),
  ]);
  return { stars, artists, albums, songs };
}

export type { Page };
