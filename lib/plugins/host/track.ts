import "server-only";
import type { Annotation, MediaFile } from "../../db/rows";

/** A participant of a track (Navidrome's `ArtistRef` projection); empty fields are omitted. */
export interface WireArtistRef {
  id?: string;
  name: string;
  mbid?: string;
  sortName?: string;
  /** `artist`, `albumartist`, `composer`, … */
  role?: string;
  subRole?: string;
}

/**
 * A library track as host services hand it to plugins (Navidrome's `types.Track`), fields
 * in Go's order. Fields marked optional are `omitempty` and left out when zero; the others
 * are always present. Timestamps are Unix seconds. The per-user fields (`starred` …
 * `playDate`) are set only for a user-scoped request.
 */
export interface WireTrack {
  id: string;
  libraryId: number;
  libraryName?: string;
  /** Relative to the library root; only for plugins with `library.filesystem`. */
  path?: string;
  missing: boolean;
  title: string;
  album: string;
  artist: string;
  albumArtist?: string;
  albumId?: string;
  sortTitle?: string;
  sortAlbumName?: string;
  sortArtistName?: string;
  trackNumber: number;
  discNumber: number;
  discSubtitle?: string;
  year: number;
  date?: string;
  originalYear: number;
  originalDate?: string;
  releaseYear: number;
  releaseDate?: string;
  /** Bytes. */
  size: bigint;
  suffix?: string;
  /** Seconds. */
  duration: number;
  bitRate: number;
  sampleRate: number;
  bitDepth?: number;
  channels: number;
  codec?: string;
  genres?: string[];
  comment?: string;
  bpm?: number;
  explicitStatus?: string;
  catalogNum?: string;
  compilation: boolean;
  hasCoverArt: boolean;
  mbzRecordingId?: string;
  mbzReleaseTrackId?: string;
  mbzAlbumId?: string;
  mbzReleaseGroupId?: string;
  mbzAlbumType?: string;
  mbzAlbumComment?: string;
  rgAlbumGain?: number;
  rgAlbumPeak?: number;
  rgTrackGain?: number;
  rgTrackPeak?: number;
  birthTime: number;
  createdAt: number;
  updatedAt: number;
  /** Mean rating over all users, 0 when unrated. */
  averageRating: number;
  starred?: boolean;
  starredAt?: number;
  rating?: number;
  playCount?: number;
  playDate?: number;
  tags?: Record<string, string[]>;
  participants?: WireArtistRef[];
}

export interface TrackExtras {
  libraryName: string;
  withPath: boolean;
  averageRating: number;
  /** The scoping user's annotation; `undefined` when the request is not user-scoped. */
  annotation?: Annotation | null;
}

const unix = (d: Date | null | undefined) => (d ? Math.floor(d.getTime() / 1000) : 0);
const orUndefined = <T>(v: T) => (v === "" || v === 0 || v === false || v === null ? undefined : v);

/** Participants flattened in role order, as Navidrome sorts its role map. */
function participantsOf(json: string): WireArtistRef[] | undefined {
  const list = JSON.parse(json) as { id?: string; name: string; mbid?: string; role?: string; subRole?: string; sortName?: string }[];
  if (list.length === 0) return undefined;
  return list
    .map((p, i) => ({ p, i }))
    .sort((a, b) => ((a.p.role ?? "") < (b.p.role ?? "") ? -1 : (a.p.role ?? "") > (b.p.role ?? "") ? 1 : a.i - b.i))
    .map(({ p }) => ({ id: orUndefined(p.id ?? ""), name: p.name, mbid: orUndefined(p.mbid ?? ""), sortName: orUndefined(p.sortName ?? ""), role: orUndefined(p.role ?? ""), subRole: orUndefined(p.subRole ?? "") }));
}

export function toWireTrack(mf: MediaFile, x: TrackExtras): WireTrack {
  const genres = JSON.parse(mf.genres) as string[];
  const a = x.annotation;
  return {
    id: mf.id,
    libraryId: mf.libraryId,
    libraryName: orUndefined(x.libraryName),
    path: x.withPath ? orUndefined(mf.path) : undefined,
    missing: mf.missing,
    title: mf.title,
    album: mf.album,
    artist: mf.artist,
    albumArtist: orUndefined(mf.albumArtist),
    albumId: orUndefined(mf.albumId),
    trackNumber: mf.trackNumber,
    discNumber: mf.discNumber,
    year: mf.year,
    originalYear: 0,
    releaseYear: 0,
    size: mf.size,
    suffix: orUndefined(mf.suffix),
    duration: mf.duration,
    bitRate: mf.bitRate,
    sampleRate: mf.sampleRate,
    channels: mf.channels,
    genres: genres.length ? genres : undefined,
    compilation: false,
    hasCoverArt: mf.hasCoverArt,
    mbzRecordingId: orUndefined(mf.mbzRecordingId),
    mbzReleaseTrackId: orUndefined(mf.mbzReleaseTrackId),
    mbzAlbumId: orUndefined(mf.mbzAlbumId),
    mbzReleaseGroupId: orUndefined(mf.mbzReleaseGroupId),
    // The catalog keeps no file birth time; the first scan that saw the file stands in.
    birthTime: unix(mf.createdAt),
    createdAt: unix(mf.createdAt),
    updatedAt: unix(mf.updatedAt),
    averageRating: x.averageRating,
    starred: a ? orUndefined(a.starred) : undefined,
    starredAt: a ? orUndefined(unix(a.starredAt)) : undefined,
    rating: a ? orUndefined(a.rating) : undefined,
    playCount: a ? orUndefined(a.playCount) : undefined,
    playDate: a ? orUndefined(unix(a.playDate)) : undefined,
    participants: participantsOf(mf.participants),
  };
}
