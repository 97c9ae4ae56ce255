import "server-only";
import { findAlbum, findArtist, findArtistByName, findArtistsByNames, findTrack, tracksByTitleAndArtist } from "../db/catalog";
import type { Album, Artist, MediaFile } from "../db/rows";

/**
 * Resolving the ids and names clients send for the info and similarity calls, which accept
 * an artist, album or song id where they mean one of them.
 */

/**
 * The artist an artist, album or song id stands for: the artist itself, an album's album
 * artist or a song's artist (album and song only when in these libraries).
 */
export async function artistFor(id: string, libraryIds: number[]): Promise<Artist | null> {
  const direct = await findArtist(id);
  if (direct) return direct;
  const album = await findAlbum(id);
  const song = album ? null : await findTrack(id);
  const artistId = album && libraryIds.includes(album.libraryId) ? album.albumArtistId : song && libraryIds.includes(song.libraryId) ? song.artistId : null;
  return artistId ? findArtist(artistId) : null;
}

/** The album an album or song id stands for, when it lives in these libraries. */
export async function albumFor(id: string, libraryIds: number[]): Promise<Album | null> {
  let album = await findAlbum(id);
  if (!album) {
    const song = await findTrack(id);
    album = song ? await findAlbum(song.albumId) : null;
  }
  return album && libraryIds.includes(album.libraryId) ? album : null;
}

/** An artist by id, or else by exact name (getTopSongs takes either). */
export async function artistByIdOrName(id: string | undefined, name: () => string): Promise<Artist | null> {
  return id ? findArtist(id) : findArtistByName(name());
}

/** What a similar-songs request starts from. */
export type SimilarTo = { kind: "track"; track: MediaFile } | { kind: "album"; album: Album } | { kind: "artist"; artist: Artist };

/** A song, album or artist id as the start of a similar-songs request (song and album only when in these libraries). */
export async function similarTo(id: string, libraryIds: number[]): Promise<SimilarTo | null> {
  const track = await findTrack(id);
  if (track && libraryIds.includes(track.libraryId)) return { kind: "track", track };
  const album = await findAlbum(id);
  if (album && libraryIds.includes(album.libraryId)) return { kind: "album", album };
  const artist = await findArtist(id);
  return artist ? { kind: "artist", artist } : null;
}

/** The library's artists named in a list, keyed by lower-cased name. */
export async function artistsByName(names: string[]): Promise<Map<string, Artist>> {
  const known = await findArtistsByNames(names);
  return new Map(known.map((a) => [a.name.toLowerCase(), a]));
}

/**
 * Up to 20 songs in these libraries with this title and artist (or album artist), an empty
 * one matching any; songs with embedded lyrics first (getLyrics answers from the first hit).
 */
export async function lyricsCandidates(libraryIds: number[], title: string, artist: string): Promise<MediaFile[]> {
  const songs = await tracksByTitleAndArtist(libraryIds, title, artist);
  return songs.sort((a, b) => Number(b.lyrics !== "[]") - Number(a.lyrics !== "[]"));
}
