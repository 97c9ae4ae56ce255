import "server-only";
import { albumInfo } from "../agents/artist-info";
import { albumList, genreCounts, type AlbumListQuery } from "../catalog/lists";
import { visibleAlbum } from "../catalog/visibility";
import { countAlbumsIn } from "../db/browse";
import { tracksOfAlbum } from "../db/catalog";
import { annotationsFor, type Viewer } from "./scope";
import { ALBUM_SORTS, type AlbumSort, type AlbumView, type SongView } from "./types";
import { albumView, plainText, songView } from "./views";

export const ALBUM_PAGE_SIZE = 48;

/** The album grid's query, as read from the page's search parameters. */
export interface AlbumGridQuery {
  sort: AlbumSort;
  /** For `genre`: the genre to show (none ⇒ an empty page and the genre picker). */
  genre?: string;
  /** For `year`: inclusive range; either end may be left open. */
  fromYear?: number;
  toYear?: number;
  /** 1-based. */
  page: number;
  /** Albums per page (default ALBUM_PAGE_SIZE). */
  pageSize?: number;
}

const MAX_YEAR = 9999;

function intParam(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 && n <= MAX_YEAR ? n : undefined;
}

/** Reads the grid query from search parameters; anything unusable falls back to the default. */
export function parseAlbumGridQuery(params: Record<string, string | string[] | undefined>): AlbumGridQuery {
  const one = (k: string) => (Array.isArray(params[k]) ? params[k][0] : params[k]);
  const sort = (ALBUM_SORTS as readonly string[]).includes(one("sort") ?? "") ? (one("sort") as AlbumSort) : "newest";
  const page = Math.max(1, Math.min(10_000, intParam(one("page")) ?? 1));
  return { sort, genre: one("genre") || undefined, fromYear: intParam(one("from")), toYear: intParam(one("to")), page };
}

/** The catalog list behind a grid query (null: nothing to list, e.g. `genre` with no genre picked). */
function listQuery(q: AlbumGridQuery): AlbumListQuery | null {
  switch (q.sort) {
    case "year": {
      const lo = q.fromYear ?? 0;
      const hi = q.toYear ?? MAX_YEAR;
      // A reversed range lists newest first, as getAlbumList2's byYear does.
      return lo <= hi ? { by: "year", lo, hi, dir: q.fromYear !== undefined && q.toYear !== undefined ? "asc" : "desc" } : { by: "year", lo: hi, hi: lo, dir: "desc" };
    }
    case "genre":
      return q.genre ? { by: "genre", genre: q.genre } : null;
    default:
      return { by: q.sort };
  }
}

/** One page of the album grid, and whether there is another after it (random has none). */
export async function albumGrid(v: Viewer, q: AlbumGridQuery): Promise<{ albums: AlbumView[]; hasMore: boolean }> {
  const list = listQuery(q);
  if (!list) return { albums: [], hasMore: false };
  const size = q.pageSize ?? ALBUM_PAGE_SIZE;
  const offset = list.by === "random" ? 0 : (q.page - 1) * size;
  // One extra row says whether a next page exists without counting.
  const rows = await albumList(v.user.id, v.libraryIds, list, offset, size + 1);
  const page = rows.slice(0, size);
  const ann = await annotationsFor(v.user, { album: page.map((a) => a.id) });
  return { albums: page.map((a) => albumView(a, ann)), hasMore: list.by !== "random" && rows.length > size };
}

/** How many albums the viewer's libraries hold (0: the pages say to add or share a library). */
export async function albumCount(v: Viewer): Promise<number> {
  return countAlbumsIn(v.libraryIds);
}

/** The genres of the viewer's libraries, by name, with their album counts. */
export async function albumGenres(v: Viewer): Promise<{ name: string; albumCount: number }[]> {
  return (await genreCounts(v.libraryIds)).map((g) => ({ name: g.value, albumCount: g.albumCount }));
}

export interface AlbumDetail {
  album: AlbumView;
  songs: SongView[];
  /** Seconds, over the songs listed. */
  totalDuration: number;
}

/** An album with its songs in disc and track order, or null when not in the viewer's libraries. */
export async function albumDetail(v: Viewer, id: string): Promise<AlbumDetail | null> {
  const album = await visibleAlbum(id, v.libraryIds);
  if (!album) return null;
  const tracks = await tracksOfAlbum(id);
  const ann = await annotationsFor(v.user, { album: [id], track: tracks.map((t) => t.id) });
  return { album: albumView(album, ann), songs: tracks.map((t) => songView(t, ann)), totalDuration: Math.round(tracks.reduce((s, t) => s + t.duration, 0)) };
}

/**
 * The metadata agents' notes on an album as plain text ("" when none, or when the album is not
 * in the viewer's libraries). Same domain call as getAlbumInfo2: asked once, then stored.
 */
export async function albumNotes(v: Viewer, id: string): Promise<string> {
  const album = await visibleAlbum(id, v.libraryIds);
  return album ? plainText((await albumInfo(album)).description) : "";
}
