import "server-only";
import { artistCreditedIn, artistExists, findAlbum, findArtist, findTrack, findTrackWithLibrary } from "../db/catalog";
import { countLibraries } from "../db/libraries";
import { albumArtistsIn, albumsOfArtist, indexArtistsIn, participantIdsIn, type IndexArtist } from "../db/lists";
import type { Album, Artist, Library, MediaFile } from "../db/rows";

/**
 * What a request limited to some libraries may see of the catalog. Every function takes
 * the library ids the caller may browse; an item outside them is answered as absent.
 */

/**
 * Ids of artists credited (as artist or album artist) on a track in the given libraries,
 * or `null` when the libraries are all there are, so callers can skip the filter.
 */
export async function visibleArtistIds(libraryIds: number[]): Promise<Set<string> | null> {
  if (new Set(libraryIds).size >= (await countLibraries())) return null;
  return participantIdsIn(libraryIds);
}

/** Whether an artist is credited on a track in the given libraries. */
export async function artistIsVisible(id: string, libraryIds: number[]): Promise<boolean> {
  if (!(await artistExists(id))) return false;
  return artistCreditedIn(id, libraryIds);
}

/** Album artists of the tracks in these libraries, in index order (getIndexes, getArtists). */
export async function indexArtists(libraryIds: number[]): Promise<Artist[]> {
  return albumArtistsIn(libraryIds);
}

/** The same artists with only the columns the Subsonic indexes show. */
export async function indexArtistSummaries(libraryIds: number[]): Promise<IndexArtist[]> {
  return indexArtistsIn(libraryIds);
}

/** An artist with its albums in these libraries (oldest first), or null when it has none there. */
export async function artistWithAlbums(id: string, libraryIds: number[]): Promise<{ artist: Artist; albums: Album[] } | null> {
  const artist = await findArtist(id);
  const albums = artist ? await albumsOfArtist(id, libraryIds) : [];
  return artist && albums.length ? { artist, albums } : null;
}

/** An album, when it lives in these libraries. */
export async function visibleAlbum(id: string, libraryIds: number[]): Promise<Album | null> {
  const album = await findAlbum(id);
  return album && libraryIds.includes(album.libraryId) ? album : null;
}

/** A track, when it lives in these libraries. */
export async function visibleTrack(id: string, libraryIds: number[]): Promise<MediaFile | null> {
  const track = await findTrack(id);
  return track && libraryIds.includes(track.libraryId) ? track : null;
}

/** A track with its library (for the file path), when it lives in these libraries. */
export async function visibleTrackFile(id: string, libraryIds: number[]): Promise<(MediaFile & { library: Library }) | null> {
  const track = await findTrackWithLibrary(id);
  return track && libraryIds.includes(track.libraryId) ? track : null;
}
