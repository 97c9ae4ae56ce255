import "server-only";
import { searchAlbums, searchArtists, searchTracks, type Page } from "../db/catalog";
import type { Album, Artist, MediaFile } from "../db/rows";
import { visibleArtistIds } from "./visibility";

/**
 * The words of a query. Clients send `""` (or nothing, or `*`) to list everything for
 * offline sync; Lucene-style quotes and `*` are dropped. `%` and `_` separate words too:
 * Prisma sends `contains` to SQLite as LIKE without an escape character.
 */
export function queryWords(query: string): string[] {
  return query
    .replace(/["*%_]/g, " ")
    .split(/\s+/)
    .filter(Boolean);
}

/**
 * Artists, albums and songs in these libraries matching every word of the query, each
 * kind paged on its own (a page taking nothing skips that kind's query).
 */
export async function searchCatalog(
  query: string,
  libraryIds: number[],
  pages: { artist: Page; album: Page; song: Page },
): Promise<{ artists: Artist[]; albums: Album[]; songs: MediaFile[] }> {
  const words = queryWords(query);
  const [artists, albums, songs] = await Promise.all([
    pages.artist.take ? visibleArtistIds(libraryIds).then((visible) => searchArtists(words, visible, pages.artist)) : [],
    pages.album.take ? searchAlbums(words, libraryIds, pages.album) : [],
    pages.song.take ? searchTracks(words, libraryIds, pages.song) : [],
  ]);
  return { artists, albums, songs };
}
