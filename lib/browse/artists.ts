import "server-only";
import { artistInfo } from "../agents/artist-info";
import { topSongs } from "../agents/songs";
import { artistsByName } from "../catalog/lookup";
import { artistIsVisible, artistWithAlbums, indexArtists, visibleArtistIds } from "../catalog/visibility";
import { findArtist, similarArtistsOf } from "../db/catalog";
import { tracksOfAlbums } from "../db/browse";
import type { Artist } from "../db/rows";
import { annotationsFor, type Viewer } from "./scope";
import type { AlbumView, ArtistExtras, ArtistIndexGroup, ArtistView, SimilarArtistView, SongView } from "./types";
import { albumView, artistView, indexLetter, plainText, songView } from "./views";

const TOP_SONGS = 10;
const SIMILAR_ARTISTS = 20;

/** The album artists of the viewer's libraries, grouped by letter ("#" last). */
export async function artistIndex(v: Viewer): Promise<ArtistIndexGroup[]> {
  const artists = await indexArtists(v.libraryIds);
  const ann = await annotationsFor(v.user, { artist: artists.map((a) => a.id) });
  const groups = new Map<string, ArtistView[]>();
  for (const a of artists) {
    const letter = indexLetter(a);
    if (!groups.has(letter)) groups.set(letter, []);
    groups.get(letter)!.push(artistView(a, ann));
  }
  return [...groups.entries()]
    .sort(([x], [y]) => (x === "#" ? 1 : y === "#" ? -1 : x.localeCompare(y)))
    .map(([letter, list]) => ({ letter, artists: list }));
}

/** An artist page's catalog part: the artist, its albums and all their songs in the viewer's libraries. */
export interface ArtistDetail {
  artist: ArtistView;
  albums: AlbumView[];
  /** Every song of its albums, album by album (for Play and Shuffle). */
  songs: SongView[];
}

/**
 * The artist with its albums in the viewer's libraries, or null when the viewer may not see
 * it. An artist only credited on tracks (no album of its own there) has a page with no albums.
 */
export async function artistDetail(v: Viewer, id: string): Promise<ArtistDetail | null> {
  const found = await artistWithAlbums(id, v.libraryIds);
  let artist: Artist | null = found?.artist ?? null;
  if (!artist && (await artistIsVisible(id, v.libraryIds))) artist = await findArtist(id);
  if (!artist) return null;
  const albums = found?.albums ?? [];
  const tracks = await tracksOfAlbums(albums.map((a) => a.id));
  const ann = await annotationsFor(v.user, { artist: [id], album: albums.map((a) => a.id), track: tracks.map((t) => t.id) });
  return { artist: artistView(artist, ann), albums: albums.map((a) => albumView(a, ann)), songs: tracks.map((t) => songView(t, ann)) };
}

/** A URL safe to link to: http(s) only (an agent could send `javascript:`). */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : "";
  } catch {
    return "";
  }
}

/**
 * What the metadata agents say about an artist: biography, external page, similar artists
 * (linked when in the viewer's libraries) and top songs matched to those libraries. Calls the
 * same domain functions as getArtistInfo2/getTopSongs: the first visit asks the agents, later
 * ones read the stored answer (refreshed in the background after its TTL).
 */
export async function artistExtras(v: Viewer, artistId: string): Promise<ArtistExtras> {
  const stored = await findArtist(artistId);
  if (!stored) return { biography: "", externalUrl: "", similar: [], topSongs: [] };
  const artist = await artistInfo(stored);
  const named = similarArtistsOf(artist).slice(0, SIMILAR_ARTISTS);
  const [byName, visible, top] = await Promise.all([artistsByName(named.map((s) => s.name)), visibleArtistIds(v.libraryIds), topSongs(artist, TOP_SONGS, v.libraryIds)]);
  const similar: SimilarArtistView[] = named.map((s) => {
    const local = byName.get(s.name.toLowerCase());
    return local && (!visible || visible.has(local.id)) ? { name: local.name, id: local.id } : { name: s.name };
  });
  const ann = await annotationsFor(v.user, { track: top.map((t) => t.id) });
  return { biography: plainText(artist.biography), externalUrl: safeUrl(artist.externalUrl), similar, topSongs: top.map((t) => songView(t, ann)) };
}
