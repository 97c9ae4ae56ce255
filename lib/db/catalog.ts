import "server-only";
import { db } from "./client";
import type { Album, Artist, Library, MediaFile, Prisma } from "./generated/prisma/client";

/**
 * Catalog reads over the `Artist`, `Album` and `MediaFile` tables for the Subsonic
 * handlers and media serving. JSON-in-string columns that callers need as values
 * (participants, genres, similar artists) are decoded here.
 */

/** A page of results: rows skipped, then at most `take`. */
export interface Page {
  skip: number;
  take: number;
}

/** One artist a similar-artists list names (`Artist.similarArtists`). */
export interface SimilarArtistRef {
  name: string;
  mbid?: string;
}

/** One credit of a track (`MediaFile.participants`). */
export interface Participant {
  id: string;
  name: string;
  mbid?: string;
  role: string;
}

/** The decoded `MediaFile.participants` column. */
export function participantsOf(track: Pick<MediaFile, "participants">): Participant[] {
  return JSON.parse(track.participants) as Participant[];
}

/** The decoded `Artist.similarArtists` column. */
export function similarArtistsOf(artist: Pick<Artist, "similarArtists">): SimilarArtistRef[] {
  return JSON.parse(artist.similarArtists) as SimilarArtistRef[];
}

/**
 * Every word must appear, as a substring, in one of the fields (case-insensitive for ASCII,
 * as SQLite LIKE; Prisma sends `contains` without an escape character, so callers strip `%` and `_`).
 */
function matchAll<W>(words: string[], fields: string[]): W {
  return { AND: words.map((w) => ({ OR: fields.map((f) => ({ [f]: { contains: w } })) })) } as W;
}

/**
 * Matches rows whose JSON genre list holds `genre`. SQLite LIKE: ASCII case-insensitive,
 * and a `%` or `_` in the name matches any characters (Prisma does not escape them).
 */
const hasGenre = (genre: string) => ({ genres: { contains: JSON.stringify(genre) } });

// ---- artists

export async function findArtist(id: string): Promise<Artist | null> {
  return db().artist.findUnique({ where: { id } });
}

/** The first artist with exactly this name. */
export async function findArtistByName(name: string): Promise<Artist | null> {
  return db().artist.findFirst({ where: { name } });
}

/** Artists with any of these names (exact match). */
export async function findArtistsByNames(names: string[]): Promise<Artist[]> {
  return db().artist.findMany({ where: { name: { in: names } } });
}

/** Every artist id (benchmarks walk the whole catalogue). */
export async function listArtistIds(): Promise<string[]> {
  return (await db().artist.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((a) => a.id);
}

export async function artistExists(id: string): Promise<boolean> {
  return (await db().artist.count({ where: { id } })) > 0;
}

/** Artists with these ids, in index order (`orderName`). */
export async function findArtistsInIndexOrder(ids: string[]): Promise<Artist[]> {
  return db().artist.findMany({ where: { id: { in: ids } }, orderBy: { orderName: "asc" } });
}

/** Artists with these ids, limited to `visible` when given (unordered). */
export async function findArtistsByIds(ids: string[], visible: Set<string> | null): Promise<Artist[]> {
  return db().artist.findMany({ where: { AND: [{ id: { in: ids } }, visible ? { id: { in: [...visible] } } : {}] } });
}

/** Artists whose name holds every word, limited to `visible` when given, by `orderName`. */
export async function searchArtists(words: string[], visible: Set<string> | null, page: Page): Promise<Artist[]> {
  return db().artist.findMany({
    where: { AND: [visible ? { id: { in: [...visible] } } : {}, matchAll<Prisma.ArtistWhereInput>(words, ["name"])] },
    orderBy: [{ orderName: "asc" }, { id: "asc" }],
    ...page,
  });
}

// ---- albums

export async function findAlbum(id: string): Promise<Album | null> {
  return db().album.findUnique({ where: { id } });
}

/** An album with the library it lives in (for file paths). */
export async function findAlbumWithLibrary(id: string): Promise<(Album & { library: Library }) | null> {
  return db().album.findUnique({ where: { id }, include: { library: true } });
}

/** The library an album lives in, or null when there is no such album. */
export async function albumLibraryId(id: string): Promise<number | null> {
  return (await db().album.findUnique({ where: { id }, select: { libraryId: true } }))?.libraryId ?? null;
}

export async function albumExistsIn(id: string, libraryIds: number[]): Promise<boolean> {
  return (await db().album.count({ where: { id, libraryId: { in: libraryIds } } })) > 0;
}

/** An artist's albums in these libraries, oldest first. */
export async function albumsOfArtist(artistId: string, libraryIds: number[]): Promise<Album[]> {
  return db().album.findMany({ where: { albumArtistId: artistId, libraryId: { in: libraryIds } }, orderBy: [{ maxYear: "asc" }, { orderName: "asc" }] });
}

/** An artist's newest album in these libraries. */
export async function newestAlbumOfArtist(artistId: string, libraryIds: number[]): Promise<Album | null> {
  return db().album.findFirst({ where: { albumArtistId: artistId, libraryId: { in: libraryIds } }, orderBy: { maxYear: "desc" } });
}

/** Albums with these ids (unordered). */
export async function findAlbumsByIds(ids: string[]): Promise<Album[]> {
  return db().album.findMany({ where: { id: { in: ids } } });
}

/** Albums with these ids that live in these libraries (unordered). */
export async function findAlbumsIn(ids: string[], libraryIds: number[]): Promise<Album[]> {
  return db().album.findMany({ where: { id: { in: ids }, libraryId: { in: libraryIds } } });
}

/** Ids of the albums in these libraries, optionally only among `ids`. */
export async function albumIdsIn(libraryIds: number[], ids?: string[]): Promise<string[]> {
  return (await db().album.findMany({ where: { libraryId: { in: libraryIds }, ...(ids ? { id: { in: ids } } : {}) }, select: { id: true } })).map((a) => a.id);
}

/** The sort keys of the albums in these libraries (album artist name and `orderName`). */
export async function albumArtistKeys(libraryIds: number[]): Promise<{ id: string; albumArtist: string; orderName: string }[]> {
  return db().album.findMany({ where: { libraryId: { in: libraryIds } }, select: { id: true, albumArtist: true, orderName: true } });
}

/** The album orders a page of an album list can be read in. */
export type AlbumPageQuery =
  | { by: "newest" }
  | { by: "name" }
  | { by: "year"; lo: number; hi: number; dir: "asc" | "desc" }
  | { by: "genre"; genre: string };

/** One page of the albums in these libraries in an album-list order (ties broken by id). */
export async function albumPage(libraryIds: number[], q: AlbumPageQuery, page: Page): Promise<Album[]> {
  let where: Prisma.AlbumWhereInput = {};
  let orderBy: Prisma.AlbumOrderByWithRelationInput[];
  switch (q.by) {
    case "newest":
      orderBy = [{ createdAt: "desc" }, { orderName: "asc" }];
      break;
    case "name":
      orderBy = [{ orderName: "asc" }];
      break;
    case "year":
      where = { maxYear: { gte: q.lo, not: 0 }, minYear: { lte: q.hi } };
      orderBy = [{ maxYear: q.dir }, { orderName: "asc" }];
      break;
    case "genre":
      where = hasGenre(q.genre);
      orderBy = [{ orderName: "asc" }];
      break;
  }
  return db().album.findMany({ where: { libraryId: { in: libraryIds }, ...where }, orderBy: [...orderBy, { id: "asc" }], ...page });
}

/** Albums in these libraries whose name or album artist holds every word, by `orderName`. */
export async function searchAlbums(words: string[], libraryIds: number[], page: Page): Promise<Album[]> {
  return db().album.findMany({
    where: { libraryId: { in: libraryIds }, ...matchAll<Prisma.AlbumWhereInput>(words, ["name", "albumArtist"]) },
    orderBy: [{ orderName: "asc" }, { id: "asc" }],
    ...page,
  });
}

// ---- tracks

export async function findTrack(id: string): Promise<MediaFile | null> {
  return db().mediaFile.findUnique({ where: { id } });
}

/** A track with the library it lives in (for file paths). */
export async function findTrackWithLibrary(id: string): Promise<(MediaFile & { library: Library }) | null> {
  return db().mediaFile.findUnique({ where: { id }, include: { library: true } });
}

/** What cover art lookup needs of a track. */
export async function trackCoverInfo(id: string): Promise<{ albumId: string; hasCoverArt: boolean; libraryId: number } | null> {
  return db().mediaFile.findUnique({ where: { id }, select: { albumId: true, hasCoverArt: true, libraryId: true } });
}

export async function trackExistsIn(id: string, libraryIds: number[]): Promise<boolean> {
  return (await db().mediaFile.count({ where: { id, libraryId: { in: libraryIds } } })) > 0;
}

/** An album's tracks in disc and track order. */
export async function tracksOfAlbum(albumId: string): Promise<MediaFile[]> {
  return db().mediaFile.findMany({ where: { albumId }, orderBy: [{ discNumber: "asc" }, { trackNumber: "asc" }, { title: "asc" }] });
}

/** Tracks with these ids (unordered). */
export async function findTracksByIds(ids: string[]): Promise<MediaFile[]> {
  return db().mediaFile.findMany({ where: { id: { in: ids } } });
}

/** Tracks with these ids that live in these libraries (unordered). */
export async function findTracksIn(ids: string[], libraryIds: number[]): Promise<MediaFile[]> {
  return db().mediaFile.findMany({ where: { id: { in: ids }, libraryId: { in: libraryIds } } });
}

/** Ids of the album artists of the tracks in these libraries (distinct). */
export async function albumArtistIdsIn(libraryIds: number[]): Promise<string[]> {
  return (await db().mediaFile.findMany({ where: { libraryId: { in: libraryIds } }, select: { albumArtistId: true }, distinct: ["albumArtistId"] })).map((r) => r.albumArtistId);
}

/** Ids of every artist credited (any role, from `MediaFile.participants`) on a track in these libraries. */
export async function participantIdsIn(libraryIds: number[]): Promise<Set<string>> {
  const rows = await db().mediaFile.findMany({ where: { libraryId: { in: libraryIds } }, select: { participants: true }, distinct: ["participants"] });
  const ids = new Set<string>();
  for (const r of rows) for (const p of participantsOf(r)) ids.add(p.id);
  return ids;
}

/** Whether an artist is credited (any role) on a track in these libraries. */
export async function artistCreditedIn(artistId: string, libraryIds: number[]): Promise<boolean> {
  return (await db().mediaFile.count({ where: { libraryId: { in: libraryIds }, participants: { contains: `"id":${JSON.stringify(artistId)}` } } })) > 0;
}

/** Filters for picking random tracks: genre and an inclusive year range, each optional. */
export interface TrackFilter {
  genre?: string;
  fromYear?: number;
  toYear?: number;
}

/** Ids of the tracks in these libraries that pass the filter. */
export async function trackIdsIn(libraryIds: number[], f: TrackFilter = {}): Promise<string[]> {
  const where: Prisma.MediaFileWhereInput = {
    libraryId: { in: libraryIds },
    ...(f.genre ? hasGenre(f.genre) : {}),
    ...(f.fromYear !== undefined || f.toYear !== undefined ? { year: { gte: f.fromYear, lte: f.toYear } } : {}),
  };
  return (await db().mediaFile.findMany({ where, select: { id: true } })).map((m) => m.id);
}

/** One page of a genre's tracks in these libraries, by album, disc and track. */
export async function tracksOfGenre(genre: string, libraryIds: number[], page: Page): Promise<MediaFile[]> {
  return db().mediaFile.findMany({
    where: { libraryId: { in: libraryIds }, ...hasGenre(genre) },
    orderBy: [{ album: "asc" }, { discNumber: "asc" }, { trackNumber: "asc" }, { id: "asc" }],
    ...page,
  });
}

/** The decoded genre list and album of every track in these libraries. */
export async function trackGenresIn(libraryIds: number[]): Promise<{ genres: string[]; albumId: string }[]> {
  const rows = await db().mediaFile.findMany({ where: { libraryId: { in: libraryIds } }, select: { genres: true, albumId: true } });
  return rows.map((r) => ({ genres: JSON.parse(r.genres) as string[], albumId: r.albumId }));
}

/** Tracks in these libraries whose title, artist or album holds every word, by title. */
export async function searchTracks(words: string[], libraryIds: number[], page: Page): Promise<MediaFile[]> {
  return db().mediaFile.findMany({
    where: { libraryId: { in: libraryIds }, ...matchAll<Prisma.MediaFileWhereInput>(words, ["title", "artist", "album"]) },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    ...page,
  });
}

/** Up to 20 tracks in these libraries with this exact title and artist (or album artist); an empty one matches any. */
export async function tracksByTitleAndArtist(libraryIds: number[], title: string, artist: string): Promise<MediaFile[]> {
  return db().mediaFile.findMany({
    where: { libraryId: { in: libraryIds }, ...(title ? { title } : {}), ...(artist ? { OR: [{ artist }, { albumArtist: artist }] } : {}) },
    take: 20,
  });
}

/** Which of these track ids live in these libraries. */
export async function trackIdsAmong(ids: string[], libraryIds: number[]): Promise<string[]> {
  return (await db().mediaFile.findMany({ where: { id: { in: ids }, libraryId: { in: libraryIds } }, select: { id: true } })).map((f) => f.id);
}
