import "server-only";
import { AgentNotFound, foldPunctuation, type AlbumInfo, type ArtistRef, type ImageInfo, type MetadataAgent, type MetadataAgentSource, type SongRef } from "../../agents/agents";
import { FunctionNotFoundError, NotImplementedError } from "../errors";
import type { PluginManager } from "../manager";

/** MetadataAgent exports (contract §3.1). */
export const FUNC_GET_ARTIST_MBID = "nd_get_artist_mbid";
export const FUNC_GET_ARTIST_URL = "nd_get_artist_url";
export const FUNC_GET_ARTIST_BIOGRAPHY = "nd_get_artist_biography";
export const FUNC_GET_SIMILAR_ARTISTS = "nd_get_similar_artists";
export const FUNC_GET_ARTIST_IMAGES = "nd_get_artist_images";
export const FUNC_GET_ARTIST_TOP_SONGS = "nd_get_artist_top_songs";
export const FUNC_GET_ALBUM_INFO = "nd_get_album_info";
export const FUNC_GET_ALBUM_IMAGES = "nd_get_album_images";
export const FUNC_GET_SIMILAR_SONGS_BY_TRACK = "nd_get_similar_songs_by_track";
export const FUNC_GET_SIMILAR_SONGS_BY_ALBUM = "nd_get_similar_songs_by_album";
export const FUNC_GET_SIMILAR_SONGS_BY_ARTIST = "nd_get_similar_songs_by_artist";

/** Input of the artist exports; `mbid` is omitted when empty (and never sent to `nd_get_artist_mbid`). */
export interface ArtistRequest {
  id: string;
  name: string;
  mbid?: string;
}
/** `nd_get_similar_artists` input. */
export interface SimilarArtistsRequest extends ArtistRequest {
  limit: number;
}
/** `nd_get_artist_top_songs` and `nd_get_similar_songs_by_artist` input. */
export interface ArtistSongsRequest extends ArtistRequest {
  count: number;
}
/** Input of the album exports. */
export interface AlbumRequest {
  name: string;
  artist: string;
  mbid?: string;
}
/** `nd_get_similar_songs_by_track` and `nd_get_similar_songs_by_album` input. */
export interface SimilarSongsRequest {
  id: string;
  name: string;
  artist: string;
  mbid?: string;
  count: number;
}

/** Outputs, each an object with one field (`nd_get_album_info` answers the `AlbumInfo` object itself). */
export interface ArtistMBIDResponse {
  mbid: string;
}
export interface ArtistURLResponse {
  url: string;
}
export interface ArtistBiographyResponse {
  biography: string;
}
export interface SimilarArtistsResponse {
  artists: ArtistRef[];
}
export interface ImagesResponse {
  images: ImageInfo[];
}
export interface SongsResponse {
  songs: SongRef[];
}

const omitEmptyMbid = <T extends { mbid?: string }>(o: T): T => {
  if (!o.mbid) delete o.mbid;
  return o;
};

/**
 * One metadata-agent plugin as a `MetadataAgent` (Navidrome's adapter, contract §3.1).
 * Names are folded to ASCII punctuation before they are sent. "No data" (empty output,
 * `null`, an empty string or array) and the two sentinels (function not found, not
 * implemented) become AgentNotFound, so the next agent is asked. Any other failure is a
 * real error and is thrown as is: the agents service also moves on, but the enrichment
 * is not marked done, so the item is asked again later (the "later" contract, which lets
 * a plugin say "no data" definitively by answering empty).
 */
export class PluginMetadataAgent implements MetadataAgent {
  constructor(
    readonly id: string,
    private readonly manager: PluginManager,
  ) {}

  private async call<T>(fn: string, input: object): Promise<T | undefined> {
    try {
      return (await this.manager.call<T>(this.id, fn, input)) ?? undefined;
    } catch (err) {
      if (err instanceof NotImplementedError || err instanceof FunctionNotFoundError) throw new AgentNotFound();
      throw err;
    }
  }

  private async str(fn: string, input: object, field: string): Promise<string> {
    const out = await this.call<Record<string, unknown>>(fn, input);
    const v = out && typeof out === "object" ? out[field] : undefined;
    if (typeof v !== "string" || v === "") throw new AgentNotFound();
    return v;
  }

  private async list<T>(fn: string, input: object, field: string): Promise<T[]> {
    const out = await this.call<Record<string, unknown>>(fn, input);
    const v = out && typeof out === "object" ? out[field] : undefined;
    if (!Array.isArray(v) || v.length === 0) throw new AgentNotFound();
    return v as T[];
  }

  private artist(id: string, name: string, mbid: string): ArtistRequest {
    return omitEmptyMbid({ id, name: foldPunctuation(name), mbid });
  }

  private album(name: string, artist: string, mbid: string): AlbumRequest {
    return omitEmptyMbid({ name: foldPunctuation(name), artist: foldPunctuation(artist), mbid });
  }

  private song(id: string, name: string, artist: string, mbid: string, count: number): SimilarSongsRequest {
    return { ...omitEmptyMbid({ id, name: foldPunctuation(name), artist: foldPunctuation(artist), mbid }), count };
  }

  getArtistMBID(id: string, name: string) {
    return this.str(FUNC_GET_ARTIST_MBID, { id, name: foldPunctuation(name) } satisfies ArtistRequest, "mbid" satisfies keyof ArtistMBIDResponse);
  }
  getArtistURL(id: string, name: string, mbid: string) {
    return this.str(FUNC_GET_ARTIST_URL, this.artist(id, name, mbid), "url" satisfies keyof ArtistURLResponse);
  }
  getArtistBiography(id: string, name: string, mbid: string) {
    return this.str(FUNC_GET_ARTIST_BIOGRAPHY, this.artist(id, name, mbid), "biography" satisfies keyof ArtistBiographyResponse);
  }
  getSimilarArtists(id: string, name: string, mbid: string, limit: number) {
    return this.list<ArtistRef>(FUNC_GET_SIMILAR_ARTISTS, { ...this.artist(id, name, mbid), limit } satisfies SimilarArtistsRequest, "artists" satisfies keyof SimilarArtistsResponse);
  }
  getArtistImages(id: string, name: string, mbid: string) {
    return this.list<ImageInfo>(FUNC_GET_ARTIST_IMAGES, this.artist(id, name, mbid), "images" satisfies keyof ImagesResponse);
  }
  getArtistTopSongs(id: string, name: string, mbid: string, count: number) {
    return this.list<SongRef>(FUNC_GET_ARTIST_TOP_SONGS, { ...this.artist(id, name, mbid), count } satisfies ArtistSongsRequest, "songs" satisfies keyof SongsResponse);
  }
  async getAlbumInfo(name: string, artist: string, mbid: string): Promise<AlbumInfo> {
    const out = await this.call<Partial<AlbumInfo> | null>(FUNC_GET_ALBUM_INFO, this.album(name, artist, mbid));
    // Only empty output or null is "not found"; an object of empty strings counts as found.
    if (!out || typeof out !== "object") throw new AgentNotFound();
    return { name: String(out.name ?? ""), mbid: String(out.mbid ?? ""), description: String(out.description ?? ""), url: String(out.url ?? "") };
  }
  getAlbumImages(name: string, artist: string, mbid: string) {
    return this.list<ImageInfo>(FUNC_GET_ALBUM_IMAGES, this.album(name, artist, mbid), "images" satisfies keyof ImagesResponse);
  }
  getSimilarSongsByTrack(id: string, name: string, artist: string, mbid: string, count: number) {
    return this.list<SongRef>(FUNC_GET_SIMILAR_SONGS_BY_TRACK, this.song(id, name, artist, mbid, count), "songs" satisfies keyof SongsResponse);
  }
  getSimilarSongsByAlbum(id: string, name: string, artist: string, mbid: string, count: number) {
    return this.list<SongRef>(FUNC_GET_SIMILAR_SONGS_BY_ALBUM, this.song(id, name, artist, mbid, count), "songs" satisfies keyof SongsResponse);
  }
  getSimilarSongsByArtist(id: string, name: string, mbid: string, count: number) {
    return this.list<SongRef>(FUNC_GET_SIMILAR_SONGS_BY_ARTIST, { ...this.artist(id, name, mbid), count } satisfies ArtistSongsRequest, "songs" satisfies keyof SongsResponse);
  }
}

/**
 * The agents service's view of the plugin manager: every loaded plugin with the
 * MetadataAgent capability, read again on every request (enable, disable and reload are
 * seen at once).
 */
export function pluginMetadataAgentSource(manager: PluginManager): MetadataAgentSource {
  return {
    names: () => manager.pluginsWith("MetadataAgent"),
    get: (name) => (manager.loadedPlugin(name)?.capabilities.includes("MetadataAgent") ? new PluginMetadataAgent(name, manager) : undefined),
  };
}
