import "server-only";
import { artistsNamed, findArtist, tracksOfArtists } from "../db/agents";
import type { Album, Artist, MediaFile } from "../db/rows";
import { matchSongs, type SongRef } from "../matcher/matcher";
import { firstAnswer } from "./agents";

const FETCH_MULTIPLIER = 1.5; // DevExternalArtistFetchMultiplier
const FALLBACK_SIMILAR_ARTISTS = 15;

/** getTopSongs: the agents' top songs (count × 1.5), refs completed with the artist, matched to the library. */
export async function topSongs(artist: Artist, count: number, libraryIds: number[]): Promise<MediaFile[]> {
  const r = await firstAnswer((a) => a.getArtistTopSongs(artist.id, artist.name, artist.mbzArtistId, Math.trunc(count * FETCH_MULTIPLIER)), "top songs");
  if (!r.value) return [];
  const refs = r.value.map((s) => (s.artist || s.artistMbid || s.artists?.length ? s : { ...s, artist: artist.name, artistMbid: artist.mbzArtistId }));
  return matchSongs(refs, libraryIds, count);
}

export type SimilarSource = { kind: "track"; track: MediaFile } | { kind: "album"; album: Album } | { kind: "artist"; artist: Artist };

/**
 * getSimilarSongs(2): by the kind of the id (song ⇒ by track, album ⇒ by album, artist ⇒
 * by artist), matched to the library in the agent's order; when agents have nothing, a
 * fallback mixes the library songs of similar artists.
 */
export async function similarSongs(src: SimilarSource, count: number, libraryIds: number[]): Promise<MediaFile[]> {
  const r = await firstAnswer((a) => {
    if (src.kind === "track") return a.getSimilarSongsByTrack(src.track.id, src.track.title, src.track.artist, src.track.mbzRecordingId, count);
    if (src.kind === "album") return a.getSimilarSongsByAlbum(src.album.id, src.album.name, src.album.albumArtist, src.album.mbzAlbumId, count);
    return a.getSimilarSongsByArtist(src.artist.id, src.artist.name, src.artist.mbzArtistId, count);
  }, "similar songs");
  if (r.value) {
    const matched = await matchSongs(r.value, libraryIds, count);
    if (matched.length) return matched;
  }
  return fallbackFromSimilarArtists(src, count, libraryIds);
}

async function fallbackFromSimilarArtists(src: SimilarSource, count: number, libraryIds: number[]): Promise<MediaFile[]> {
  const artistId = src.kind === "track" ? src.track.artistId : src.kind === "album" ? src.album.albumArtistId : src.artist.id;
  const artist = await findArtist(artistId);
  if (!artist) return [];
  const r = await firstAnswer((a) => a.getSimilarArtists(artist.id, artist.name, artist.mbzArtistId, Math.trunc(FALLBACK_SIMILAR_ARTISTS * FETCH_MULTIPLIER)), "similar artists");
  const names = [artist.name, ...(r.value ?? []).map((s) => s.name)];
  const artists = await artistsNamed(names);
  if (artists.length === 0) return [];
  const songs = await tracksOfArtists(artists.map((a) => a.id), libraryIds);
  // Weighted random: the seed artist and earlier similar artists come up more often.
  const weight = new Map(names.map((n, i) => [n.toLowerCase(), names.length - i]));
  const keyed = songs.map((s) => ({ s, k: Math.random() ** (1 / (weight.get(s.artist.toLowerCase()) ?? 1)) }));
  return keyed
    .sort((a, b) => b.k - a.k)
    .slice(0, count)
    .map((x) => x.s);
}

export type { SongRef };
