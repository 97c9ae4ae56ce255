import "server-only";
import { FunctionNotFoundError, NotImplementedError } from "../plugins/errors";
import type { PluginManager } from "../plugins/manager";

/** Navidrome's `agents.ErrNotFound`: the agent has no data; the next agent is asked. */
export class AgentNotFound extends Error {
  constructor() {
    super("not found");
    this.name = "AgentNotFound";
  }
}

export interface ArtistRef {
  id?: string;
  name: string;
  mbid?: string;
}
export interface ImageInfo {
  url: string;
  size: number;
}
export interface SongRef {
  id?: string;
  name: string;
  mbid?: string;
  isrc?: string;
  artist?: string;
  artistMbid?: string;
  album?: string;
  albumMbid?: string;
  /** Seconds. */
  duration?: number;
  /** Later addition: wins over `duration` when non-zero. */
  durationMs?: number;
  /** Later addition: wins over `artist`/`artistMbid`. */
  artists?: ArtistRef[];
}
export interface AlbumInfo {
  name: string;
  mbid: string;
  description: string;
  url: string;
}

/** Typographic quotes and dashes folded to ASCII before names go to agents (Navidrome's default). */
export function foldPunctuation(s: string): string {
  return s.replace(/[‘’‛′]/g, "'").replace(/[“”″]/g, '"').replace(/[‐‑‒–—−―]/g, "-");
}

const omitEmptyMbid = <T extends { mbid?: string }>(o: T): T => {
  if (!o.mbid) delete o.mbid;
  return o;
};

/**
 * One metadata-agent plugin behind Navidrome's adapter (contract §3.1). "No data" (empty
 * output, `null`, an empty string or array) and the two sentinels (function not found,
 * not implemented) become AgentNotFound, so the next agent is asked. Any other failure is
 * a real error and is thrown as is: callers also move on, but the enrichment is not
 * marked done, so the item is asked again later (the "later" contract, which lets a
 * plugin say "no data" definitively by answering empty).
 */
export class PluginAgent {
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

  getArtistMBID(id: string, name: string) {
    return this.str("nd_get_artist_mbid", { id, name: foldPunctuation(name) }, "mbid");
  }
  getArtistURL(id: string, name: string, mbid: string) {
    return this.str("nd_get_artist_url", omitEmptyMbid({ id, name: foldPunctuation(name), mbid }), "url");
  }
  getArtistBiography(id: string, name: string, mbid: string) {
    return this.str("nd_get_artist_biography", omitEmptyMbid({ id, name: foldPunctuation(name), mbid }), "biography");
  }
  getSimilarArtists(id: string, name: string, mbid: string, limit: number) {
    return this.list<ArtistRef>("nd_get_similar_artists", { ...omitEmptyMbid({ id, name: foldPunctuation(name), mbid }), limit }, "artists");
  }
  getArtistImages(id: string, name: string, mbid: string) {
    return this.list<ImageInfo>("nd_get_artist_images", omitEmptyMbid({ id, name: foldPunctuation(name), mbid }), "images");
  }
  getArtistTopSongs(id: string, name: string, mbid: string, count: number) {
    return this.list<SongRef>("nd_get_artist_top_songs", { ...omitEmptyMbid({ id, name: foldPunctuation(name), mbid }), count }, "songs");
  }
  async getAlbumInfo(name: string, artist: string, mbid: string): Promise<AlbumInfo> {
    const out = await this.call<Partial<AlbumInfo> | null>("nd_get_album_info", omitEmptyMbid({ name: foldPunctuation(name), artist: foldPunctuation(artist), mbid }));
    // Only empty output or null is "not found"; an object of empty strings counts as found.
    if (!out || typeof out !== "object") throw new AgentNotFound();
    return { name: String(out.name ?? ""), mbid: String(out.mbid ?? ""), description: String(out.description ?? ""), url: String(out.url ?? "") };
  }
  getAlbumImages(name: string, artist: string, mbid: string) {
    return this.list<ImageInfo>("nd_get_album_images", omitEmptyMbid({ name: foldPunctuation(name), artist: foldPunctuation(artist), mbid }), "images");
  }
  getSimilarSongsByTrack(id: string, name: string, artist: string, mbid: string, count: number) {
    return this.list<SongRef>("nd_get_similar_songs_by_track", { ...omitEmptyMbid({ id, name: foldPunctuation(name), artist: foldPunctuation(artist), mbid }), count }, "songs");
  }
  getSimilarSongsByAlbum(id: string, name: string, artist: string, mbid: string, count: number) {
    return this.list<SongRef>("nd_get_similar_songs_by_album", { ...omitEmptyMbid({ id, name: foldPunctuation(name), artist: foldPunctuation(artist), mbid }), count }, "songs");
  }
  getSimilarSongsByArtist(id: string, name: string, mbid: string, count: number) {
    return this.list<SongRef>("nd_get_similar_songs_by_artist", { ...omitEmptyMbid({ id, name: foldPunctuation(name), mbid }), count }, "songs");
  }
}
