/**
 * Database rows → Subsonic / OpenSubsonic response objects (`Child`, `AlbumID3`,
 * `ArtistID3`…). One place decides every field, so XML and JSON, browsing and search, and
 * the in-process `subsonicapi` host service all answer the same shapes.
 */
import type { Album, Annotation, Artist, MediaFile, Playlist } from "../db/rows";

/** Cover art ids carry their kind, so `getCoverArt` resolves them without guessing. */
export const coverArtId = {
  album: (id: string) => `al-${id}`,
  track: (id: string) => `mf-${id}`,
  artist: (id: string) => `ar-${id}`,
  playlist: (id: string) => `pl-${id}`,
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

/** Per-user annotation (star, rating, plays) of an item, when there is one. */
export type AnnotationLookup = (itemType: "track" | "album" | "artist", id: string) => Annotation | undefined;
export const noAnnotations: AnnotationLookup = () => undefined;

function annotationFields(a: Annotation | undefined) {
  return {
    starred: a?.starred && a.starredAt ? iso(a.starredAt) : undefined,
    userRating: a?.rating ? a.rating : undefined,
    playCount: a?.playCount ?? 0,
    played: iso(a?.playDate),
  };
}

interface ParticipantJson {
  id: string;
  name: string;
  mbid?: string;
  role: "artist" | "albumartist";
}

function participants(mf: Pick<MediaFile, "participants">, role: ParticipantJson["role"]) {
  return (JSON.parse(mf.participants) as ParticipantJson[]).filter((p) => p.role === role).map((p) => ({ id: p.id, name: p.name }));
}

const genreList = (json: string) => (JSON.parse(json) as string[]).map((name) => ({ name }));

/** A song (`Child`), with the OpenSubsonic additions. */
export function songChild(mf: MediaFile, ann: AnnotationLookup = noAnnotations) {
  const a = ann("track", mf.id);
  const year = mf.year || undefined;
  return {
    id: mf.id,
    parent: mf.albumId,
    isDir: false,
    title: mf.title,
    album: mf.album,
    artist: mf.artist,
    track: mf.trackNumber || undefined,
    year,
    genre: mf.genre || undefined,
    coverArt: mf.hasCoverArt ? coverArtId.track(mf.id) : coverArtId.album(mf.albumId),
    size: Number(mf.size),
    contentType: mf.contentType,
    suffix: mf.suffix,
    duration: Math.round(mf.duration),
    bitRate: mf.bitRate || undefined,
    path: mf.path,
    discNumber: mf.discNumber || undefined,
    created: iso(mf.createdAt),
    albumId: mf.albumId,
    artistId: mf.artistId,
    type: "music",
    isVideo: false,
    ...annotationFields(a),
    // OpenSubsonic
    mediaType: "song",
    bpm: 0,
    comment: "",
    sortName: mf.title,
    musicBrainzId: mf.mbzRecordingId,
    isrc: mf.isrc ? [mf.isrc] : [],
    genres: genreList(mf.genres),
    artists: participants(mf, "artist"),
    displayArtist: mf.artist,
    albumArtists: participants(mf, "albumartist"),
    displayAlbumArtist: mf.albumArtist,
    samplingRate: mf.sampleRate || undefined,
    channelCount: mf.channels || undefined,
    moods: [],
    contributors: [],
    explicitStatus: "",
  };
}

/** An album (`AlbumID3`), with the OpenSubsonic additions. */
export function albumID3(al: Album, ann: AnnotationLookup = noAnnotations) {
  const a = ann("album", al.id);
  return {
    id: al.id,
    name: al.name,
    artist: al.albumArtist,
    artistId: al.albumArtistId,
    coverArt: coverArtId.album(al.id),
    songCount: al.songCount,
    duration: Math.round(al.duration),
    created: iso(al.createdAt),
    year: al.maxYear || undefined,
    genre: al.genre || undefined,
    ...annotationFields(a),
    // OpenSubsonic
    sortName: al.sortName,
    musicBrainzId: al.mbzAlbumId,
    genres: genreList(al.genres),
    artists: [{ id: al.albumArtistId, name: al.albumArtist }],
    displayArtist: al.albumArtist,
    releaseTypes: [],
    recordLabels: [],
    moods: [],
    isCompilation: false,
    originalReleaseDate: al.minYear ? { year: al.minYear } : undefined,
    explicitStatus: "",
    version: "",
  };
}

/** An artist (`ArtistID3`); needs only the columns the artist indexes read (lib/db/lists.ts `IndexArtist`). */
export function artistID3(ar: Pick<Artist, "id" | "name" | "albumCount" | "largeImageUrl" | "mbzArtistId" | "orderName">, ann: AnnotationLookup = noAnnotations) {
  const a = ann("artist", ar.id);
  return {
    id: ar.id,
    name: ar.name,
    coverArt: coverArtId.artist(ar.id),
    albumCount: ar.albumCount,
    artistImageUrl: ar.largeImageUrl || undefined,
    starred: a?.starred && a.starredAt ? iso(a.starredAt) : undefined,
    userRating: a?.rating || undefined,
    // OpenSubsonic
    musicBrainzId: ar.mbzArtistId,
    sortName: ar.orderName,
    roles: ["artist"],
  };
}

/** An album as a directory entry (`Child` with `isDir`), for the folder-style API. */
export function albumChild(al: Album, ann: AnnotationLookup = noAnnotations) {
  const a = ann("album", al.id);
  return {
    id: al.id,
    parent: al.albumArtistId,
    isDir: true,
    title: al.name,
    name: al.name,
    album: al.name,
    artist: al.albumArtist,
    year: al.maxYear || undefined,
    genre: al.genre || undefined,
    coverArt: coverArtId.album(al.id),
    duration: Math.round(al.duration),
    created: iso(al.createdAt),
    artistId: al.albumArtistId,
    songCount: al.songCount,
    isVideo: false,
    ...annotationFields(a),
    mediaType: "album",
  };
}

/** A playlist header. */
export function playlistShape(pl: Playlist & { _count?: { tracks: number } }, owner: string, duration: number) {
  return {
    id: pl.id,
    name: pl.name,
    comment: pl.comment || undefined,
    owner,
    public: pl.public,
    songCount: pl._count?.tracks ?? 0,
    duration: Math.round(duration),
    created: iso(pl.createdAt),
    changed: iso(pl.updatedAt),
    coverArt: coverArtId.playlist(pl.id),
  };
}
