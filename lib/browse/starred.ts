import "server-only";
import { starredItems } from "../catalog/lists";
import type { Annotation } from "../db/rows";
import type { Viewer } from "./scope";
import type { AlbumView, ArtistView, SongView } from "./types";
import { albumView, artistView, songView } from "./views";

/** The viewer's starred artists, albums and songs within their libraries, newest star first. */
export async function starredFor(v: Viewer): Promise<{ artists: ArtistView[]; albums: AlbumView[]; songs: SongView[] }> {
  const { stars, artists, albums, songs } = await starredItems(v.user.id, v.libraryIds);
  const byKey = new Map<string, Annotation>(stars.map((s) => [`${s.itemType}:${s.itemId}`, s]));
  const ann = (type: string, id: string) => byKey.get(`${type}:${id}`);
  return { artists: artists.map((a) => artistView(a, ann)), albums: albums.map((a) => albumView(a, ann)), songs: songs.map((s) => songView(s, ann)) };
}
