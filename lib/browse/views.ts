import "server-only";
import type { Album, Annotation, Artist, MediaFile } from "../db/rows";
import type { AlbumView, ArtistView, Marks, PlayerTrack, SongView } from "./types";

/**
 * Catalog rows → the plain objects the listener pages render. One place builds every
 * `PlayerTrack`, so the player gets the same ids and cover art ids from every page
 * (they match the Subsonic shapes: a track with embedded art uses `mf-`, else its album's `al-`).
 */

/** The user's annotation of an item, when there is one. */
export type MarksLookup = (type: "track" | "album" | "artist", id: string) => Annotation | undefined;

export const noMarks: MarksLookup = () => undefined;

function marks(a: Annotation | undefined): Marks {
  return { starred: Boolean(a?.starred), rating: a?.rating ?? 0, playCount: a?.playCount ?? 0 };
}

/** A catalog track as the player takes it. */
export function toPlayerTrack(mf: MediaFile): PlayerTrack {
  return {
    id: mf.id,
    title: mf.title,
    artist: mf.artist,
    artistId: mf.artistId || undefined,
    album: mf.album,
    albumId: mf.albumId || undefined,
    duration: Math.round(mf.duration),
    coverArt: mf.hasCoverArt ? `mf-${mf.id}` : `al-${mf.albumId}`,
    track: mf.trackNumber || undefined,
    year: mf.year || undefined,
  };
}

export function songView(mf: MediaFile, ann: MarksLookup = noMarks): SongView {
  return { track: toPlayerTrack(mf), discNumber: mf.discNumber, ...marks(ann("track", mf.id)) };
}

export function albumView(al: Album, ann: MarksLookup = noMarks): AlbumView {
  return {
    id: al.id,
    name: al.name,
    artist: al.albumArtist,
    artistId: al.albumArtistId,
    year: al.maxYear,
    songCount: al.songCount,
    duration: Math.round(al.duration),
    coverArt: `al-${al.id}`,
    genres: JSON.parse(al.genres) as string[],
    ...marks(ann("album", al.id)),
  };
}

export function artistView(ar: Artist, ann: MarksLookup = noMarks): ArtistView {
  return { id: ar.id, name: ar.name, albumCount: ar.albumCount, coverArt: `ar-${ar.id}`, ...marks(ann("artist", ar.id)) };
}

/** The letter an artist is filed under in the index: its sort name's first letter without accents, or "#". */
export function indexLetter(a: Pick<Artist, "name" | "orderName">): string {
  const c = (a.orderName || a.name).charAt(0).toUpperCase();
  return /\p{L}/u.test(c) ? c.normalize("NFD").charAt(0) : "#";
}

/** Agent HTML (biographies, album notes) as plain text: tags dropped, common entities decoded, whitespace collapsed. */
export function plainText(html: string): string {
  const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, e: string) => entities[e])
    .replace(/\s+/g, " ")
    .trim();
}
