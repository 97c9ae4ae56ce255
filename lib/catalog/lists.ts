import "server-only";
import { annotatedAlbumIds, starredAnnotations, type AlbumAnnotationOrder } from "../db/annotations";
import {
  albumArtistKeys,
  albumIdsIn,
  albumPage,
  findAlbumsByIds,
  findAlbumsIn,
  findArtistsByIds,
  findTracksByIds,
  findTracksIn,
  trackGenresIn,
  trackIdsIn,
  type AlbumPageQuery,
  type Page,
  type TrackFilter,
} from "../db/catalog";
import type { Album, Annotation, Artist, MediaFile } from "../db/rows";
import { orderName } from "../scanner/scanner";
import { visibleArtistIds } from "./visibility";

/** The album and song lists (getAlbumList, getRandomSongs, getGenres, getStarred) over some libraries. */

/** Rows in the order of `ids` (rows missing from the result are dropped). */
export function inOrder<T extends { id: string }>(ids: string[], rows: T[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is T => r !== undefined);
}

/** `n` items picked at random (Fisher–Yates on a copy). */
export function pickRandom<T>(items: T[], n: number): T[] {
  const a = [...items];
  const k = Math.min(n, a.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(Math.random() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k);
}

/** An album list: a stored order, a random pick, by album artist, or by the user's annotations. */
export type AlbumListQuery = AlbumPageQuery | { by: "random" } | { by: "artist" } | { by: AlbumAnnotationOrder };

/** One page (`size` from `offset`) of the albums in these libraries, in the list's order. */
export async function albumList(userId: string, libraryIds: number[], q: AlbumListQuery, offset: number, size: number): Promise<Album[]> {
  /** The albums among `ids` that are in these libraries, paged in `ids` order. */
  const byIds = async (ids: string[]) => {
    const visible = new Set(await albumIdsIn(libraryIds, ids));
    const pageIds = ids.filter((id) => visible.has(id)).slice(offset, offset + size);
    return inOrder(pageIds, await findAlbumsByIds(pageIds));
  };
  switch (q.by) {
    case "random": {
      const picked = pickRandom(await albumIdsIn(libraryIds), size);
      return inOrder(picked, await findAlbumsByIds(picked));
    }
    case "artist": {
      const rows = await albumArtistKeys(libraryIds);
      const key = (r: (typeof rows)[number]) => `${orderName(r.albumArtist)}\u0000${r.orderName}\u0000${r.id}`;
      return byIds(rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map((r) => r.id));
    }
    case "starred":
    case "highest":
    case "frequent":
    case "recent":
      return byIds(await annotatedAlbumIds(userId, q.by));
    default:
      return albumPage(libraryIds, q, { skip: offset, take: size });
  }
}

/** Up to `size` random tracks in these libraries that pass the filter. */
export async function randomSongs(libraryIds: number[], filter: TrackFilter, size: number): Promise<MediaFile[]> {
  const ids = pickRandom(await trackIdsIn(libraryIds, filter), size);
  return inOrder(ids, await findTracksByIds(ids));
}

/** Every genre of the tracks in these libraries with its song and album counts, by name (case-insensitive). */
export async function genreCounts(libraryIds: number[]): Promise<{ value: string; songCount: number; albumCount: number }[]> {
  const acc = new Map<string, { songs: number; albums: Set<string> }>();
  for (const r of await trackGenresIn(libraryIds)) {
    for (const g of r.genres) {
      const e = acc.get(g) ?? { songs: 0, albums: new Set<string>() };
      e.songs++;
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
  const stars = await starredAnnotations(userId);
  const ids = (type: string) => stars.filter((s) => s.itemType === type).map((s) => s.itemId);
  const [artists, albums, songs] = await Promise.all([
    visibleArtistIds(libraryIds).then((visible) => findArtistsByIds(ids("artist"), visible)),
    findAlbumsIn(ids("album"), libraryIds),
    findTracksIn(ids("track"), libraryIds),
  ]);
  return { stars, artists: inOrder(ids("artist"), artists), albums: inOrder(ids("album"), albums), songs: inOrder(ids("track"), songs) };
}

export type { Page };
