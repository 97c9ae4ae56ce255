import type { ArtistRef, SongRef } from "../matcher/matcher";

export type { ArtistRef, SongRef } from "../matcher/matcher";

/** Navidrome's `agents.ErrNotFound`: the agent has no data; the next agent is asked. */
export class AgentNotFound extends Error {
  constructor() {
    super("not found");
    this.name = "AgentNotFound";
  }
}

export interface ImageInfo {
  url: string;
  size: number;
}

export interface AlbumInfo {
  name: string;
  mbid: string;
  description: string;
  url: string;
}

/**
 * An external metadata service (Navidrome's `agents.Interface` and its `*Retriever`s).
 * Owned here and implemented by the plugin adapter (lib/plugins/capabilities/metadata-agent.ts).
 * Every method answers a non-empty value or throws: `AgentNotFound` for "no data" (the
 * next agent is asked), anything else for a real failure (the next agent is asked too,
 * but the item is asked about again later). An empty `mbid` means unknown.
 */
export interface MetadataAgent {
  /** The agent's name in the `Agents` setting (a plugin id). */
  readonly id: string;
  getArtistMBID(id: string, name: string): Promise<string>;
  getArtistURL(id: string, name: string, mbid: string): Promise<string>;
  getArtistBiography(id: string, name: string, mbid: string): Promise<string>;
  getSimilarArtists(id: string, name: string, mbid: string, limit: number): Promise<ArtistRef[]>;
  getArtistImages(id: string, name: string, mbid: string): Promise<ImageInfo[]>;
  getArtistTopSongs(id: string, name: string, mbid: string, count: number): Promise<SongRef[]>;
  /** An object of empty strings is an answer; only its absence is "no data". */
  getAlbumInfo(name: string, artist: string, mbid: string): Promise<AlbumInfo>;
  getAlbumImages(name: string, artist: string, mbid: string): Promise<ImageInfo[]>;
  getSimilarSongsByTrack(id: string, name: string, artist: string, mbid: string, count: number): Promise<SongRef[]>;
  getSimilarSongsByAlbum(id: string, name: string, artist: string, mbid: string, count: number): Promise<SongRef[]>;
  getSimilarSongsByArtist(id: string, name: string, mbid: string, count: number): Promise<SongRef[]>;
}

/** Where the agents service finds the metadata agents currently available (read on every request). */
export interface MetadataAgentSource {
  /** Names (plugin ids) of the agents available now. */
  names(): string[];
  /** The current instance of an agent, or undefined while it is not available. */
  get(name: string): MetadataAgent | undefined;
}

/** Typographic quotes and dashes folded to ASCII before names go to agents (Navidrome's default). */
export function foldPunctuation(s: string): string {
  return s.replace(/[‘’‛′]/g, "'").replace(/[“”″]/g, '"').replace(/[‐‑‒–—−―]/g, "-");
}
