import "server-only";
import { db } from "./client";
import type { Album, Artist, Library, MediaFile } from "./generated/prisma/client";

/**
 * Catalog reads over the `Artist`, `Album` and `MediaFile` tables for the Subsonic
 * handlers and media serving: single items and small id lists. JSON-in-string columns that
 * callers need as values (participants, genres, similar artists) are decoded here. Lists
 * that page through the catalogue are in lists.ts, full-text search in search.ts.
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

/** An artist's newest album in these libraries. */
export async function newestAlbumOfArtist(artistId: string, libraryIds: number[]): Promise<Album | null> {
  return db().album.findFirst({ where: { albumArtistId: artistId, libraryId: { in: libraryIds } }, orderBy: { maxYear: "desc" } });
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

/** Tracks with these ids that live in these libraries (unordered). */
export async function findTracksIn(ids: string[], libraryIds: number[]): Promise<MediaFile[]> {
  return db().mediaFile.findMany({ where: { id: { in: ids }, libraryId: { in: libraryIds } } });
}

/** Whether an artist is credited (any role) on a track in these libraries. */
export async function artistCreditedIn(artistId: string, libraryIds: number[]): Promise<boolean> {
  return (await db().mediaFile.count({ where: { libraryId: { in: libraryIds }, participants: { contains: `"id":${JSON.stringify(artistId)}` } } })) > 0;
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
