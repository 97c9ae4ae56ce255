import "server-only";
import type { Page } from "../db/catalog";
import type { Album, Artist, MediaFile } from "../db/rows";
import { coversAllLibraries, participantIdsIn } from "../db/lists";
import { searchAlbums, searchArtists, searchTracks } from "../db/search";

/**
 * The words of a query. Clients send `""` (or nothing, or `*`) to list everything for
 * offline sync; Lucene-style quotes and `*` are dropped, and `%` and `_` separate words (as
 * the full-text tokenizer does with every punctuation character).
 */
export function queryWords(query: string): string[] {
  return query
    .replace(/["*%_]/g, " ")
    .split(/\s+/)
    .filter(Boolean);
}

/**
 * Artists, albums and songs in these libraries matching every word of the query (each word
 * the start of a word of a name, title, artist or album, ignoring case and accents: see
 * lib/db/search.ts), each kind paged on its own (a page taking nothing skips that kind's query).
 */
export async function searchCatalog(
  query: string,
  libraryIds: number[],
  pages: { artist: Page; album: Page; song: Page },
): Promise<{ artists: Artist[]; albums: Album[]; songs: MediaFile[] }> {
  const words = queryWords(query);
  const libs = { ids: libraryIds, all: await coversAllLibraries(libraryIds) };
  // Artists are not per library: a user limited to some sees those credited on their tracks.
  const visible = pages.artist.take && !libs.all ? await participantIdsIn(libraryIds) : null;
  const [artists, albums, songs] = await Promise.all([
    pages.artist.take ? searchArtists(words, visible, pages.artist) : [],
    pages.album.take ? searchAlbums(words, libs, pages.album) : [],
    pages.song.take ? searchTracks(words, libs, pages.song) : [],
  ]);
  return { artists, albums, songs };
}
