import "server-only";
import { queryWords, searchCatalog } from "../catalog/search";
import { annotationsFor, type Viewer } from "./scope";
import type { SearchResults } from "./types";
import { albumView, artistView, songView } from "./views";

const LIMITS = { artists: 8, albums: 12, songs: 25 };
export const MAX_QUERY_LENGTH = 200;

/**
 * Search as you type: artists, albums and songs in the viewer's libraries matching every word.
 * An empty query (or one of only wildcard characters) finds nothing here, unlike Subsonic's
 * search3, which lists the whole catalogue for offline sync.
 */
export async function searchBrowse(v: Viewer, query: string): Promise<SearchResults> {
  const q = query.slice(0, MAX_QUERY_LENGTH);
  if (!queryWords(q).length) return { artists: [], albums: [], songs: [] };
  const page = (take: number) => ({ skip: 0, take });
  const found = await searchCatalog(q, v.libraryIds, { artist: page(LIMITS.artists), album: page(LIMITS.albums), song: page(LIMITS.songs) });
  const ann = await annotationsFor(v.user, { artist: found.artists.map((a) => a.id), album: found.albums.map((a) => a.id), track: found.songs.map((s) => s.id) });
  return { artists: found.artists.map((a) => artistView(a, ann)), albums: found.albums.map((a) => albumView(a, ann)), songs: found.songs.map((s) => songView(s, ann)) };
}
