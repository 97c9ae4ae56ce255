/**
 * What the listener pages show, as plain serializable objects: server components build them
 * (lib/browse/views.ts) and hand them to the client components in components/browse.
 * No server imports here, so client components may import these types.
 */
import type { PlayerTrack } from "../../components/player/player-types";

export type { PlayerTrack };

/** The kinds of item a listener can star and rate (the `Annotation.itemType` values). */
export type ItemKind = "track" | "album" | "artist";

/** A user's marks on an item. */
export interface Marks {
  starred: boolean;
  /** 0 (none) to 5. */
  rating: number;
  playCount: number;
}

/** A song row: what the player needs plus the user's marks. */
export interface SongView extends Marks {
  track: PlayerTrack;
  discNumber: number;
}

export interface AlbumView extends Marks {
  id: string;
  name: string;
  artist: string;
  artistId: string;
  /** 0 when unknown. */
  year: number;
  songCount: number;
  /** Seconds. */
  duration: number;
  /** Cover art id for /api/cover (`al-…`). */
  coverArt: string;
  genres: string[];
}

export interface ArtistView extends Marks {
  id: string;
  name: string;
  albumCount: number;
  /** Cover art id for /api/cover (`ar-…`): the agents' image, else the newest album's cover. */
  coverArt: string;
}

/** One letter of the artist index ("#" for names not starting with a letter). */
export interface ArtistIndexGroup {
  letter: string;
  artists: ArtistView[];
}

/** A similar artist the agents named: linked when it is in the user's libraries. */
export interface SimilarArtistView {
  name: string;
  id?: string;
}

/** What the metadata agents say about an artist (all optional: no agent may answer). */
export interface ArtistExtras {
  /** Plain text (tags stripped: agent HTML is never rendered). */
  biography: string;
  /** An http(s) page about the artist, when an agent gave one. */
  externalUrl: string;
  similar: SimilarArtistView[];
  topSongs: SongView[];
}

export interface PlaylistSummary {
  id: string;
  name: string;
  comment: string;
  owner: string;
  public: boolean;
  songCount: number;
  duration: number;
  /** The viewer may not change it (someone else's, or a plugin keeps it). */
  readonly: boolean;
  /** Id of the plugin that provides it, or "" for a user playlist. */
  pluginId: string;
  coverArt: string;
}

/** Orders of the album grid. */
export const ALBUM_SORTS = ["newest", "frequent", "random", "year", "genre", "name", "starred"] as const;
export type AlbumSort = (typeof ALBUM_SORTS)[number];

export const ALBUM_SORT_LABELS: Record<AlbumSort, string> = {
  newest: "Recently added",
  frequent: "Most played",
  random: "Random",
  year: "By year",
  genre: "By genre",
  name: "By name",
  starred: "Starred",
};

/** Search results as the search page shows them. */
export interface SearchResults {
  artists: ArtistView[];
  albums: AlbumView[];
  songs: SongView[];
}
