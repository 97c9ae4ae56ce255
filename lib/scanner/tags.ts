import { stat } from "node:fs/promises";
import path from "node:path";
import { parseFile, type IAudioMetadata, type ICommonTagsResult, type IFormat } from "music-metadata";
import { parseLyrics } from "../lyrics/lrc";
import { albumId, artistId, trackId } from "./ids";

export const AUDIO_EXTENSIONS = new Set(["mp3", "flac", "ogg", "oga", "opus", "m4a", "m4b", "mp4", "aac", "wav", "aif", "aiff", "wma", "ape", "wv", "mpc", "dsf"]);

const CONTENT_TYPES: Record<string, string> = {
  mp3: "audio/mpeg", flac: "audio/flac", ogg: "audio/ogg", oga: "audio/ogg", opus: "audio/ogg", m4a: "audio/mp4", m4b: "audio/mp4",
  mp4: "audio/mp4", aac: "audio/aac", wav: "audio/wav", aif: "audio/aiff", aiff: "audio/aiff", wma: "audio/x-ms-wma",
  ape: "audio/x-ape", wv: "audio/x-wavpack", mpc: "audio/x-musepack", dsf: "audio/x-dsf",
};

export const UNKNOWN_ARTIST = "[Unknown Artist]";
export const UNKNOWN_ALBUM = "[Unknown Album]";

export interface Participant {
  id: string;
  name: string;
  mbid?: string;
  role: "artist" | "albumartist";
}

/** A track as the scanner stores it (MediaFile columns). */
export interface ScannedTrack {
  id: string;
  libraryId: number;
  path: string;
  title: string;
  album: string;
  albumId: string;
  artist: string;
  artistId: string;
  albumArtist: string;
  albumArtistId: string;
  participants: string;
  trackNumber: number;
  discNumber: number;
  year: number;
  genre: string;
  genres: string;
  duration: number;
  bitRate: number;
  sampleRate: number;
  channels: number;
  size: bigint;
  suffix: string;
  contentType: string;
  hasCoverArt: boolean;
  mbzRecordingId: string;
  mbzReleaseTrackId: string;
  mbzAlbumId: string;
  mbzReleaseGroupId: string;
  mbzArtistId: string;
  mbzAlbumArtistId: string;
  isrc: string;
  lyrics: string;
  mtime: Date;
}

const first = <T>(xs: T[] | undefined): T | undefined => (xs && xs.length ? xs[0] : undefined);

/**
 * The parts of music-metadata's answer a track is built from: what the tag workers send back
 * (tag-worker.mjs; picture bytes left behind, only their count kept).
 */
export interface TagMetadata {
  common: Omit<ICommonTagsResult, "picture">;
  pictureCount: number;
  format: Pick<IFormat, "container" | "duration" | "bitrate" | "sampleRate" | "numberOfChannels">;
}

/** music-metadata's full answer reduced to what a track needs. */
export function slimMetadata(meta: IAudioMetadata): TagMetadata {
  const { picture, ...common } = meta.common;
  const f = meta.format;
  return { common, pictureCount: picture?.length ?? 0, format: { container: f.container, duration: f.duration, bitrate: f.bitrate, sampleRate: f.sampleRate, numberOfChannels: f.numberOfChannels } };
}

function lyricsOf(meta: TagMetadata): string {
  const out = (meta.common.lyrics ?? []).flatMap((l) => {
    const synced = Array.isArray(l.syncText) && l.syncText.length > 0;
    if (synced) return [{ lang: l.language || "xxx", synced: true, line: l.syncText.map((s) => ({ start: s.timestamp ?? 0, value: s.text })) }];
    const parsed = parseLyrics(l.text ?? "", l.language || "xxx");
    return parsed ? [parsed] : [];
  });
  return JSON.stringify(out);
}

/** Reads one file's tags into a track row; falls back to the file name when untagged. */
export async function readTrack(libraryId: number, root: string, relPath: string): Promise<ScannedTrack> {
  const abs = path.join(root, relPath);
  const [meta, st] = await Promise.all([parseFile(abs, { duration: true, skipCovers: false }), stat(abs)]);
  return trackFromMetadata(libraryId, relPath, slimMetadata(meta), { size: st.size, mtime: st.mtime });
}

/**
 * A file's tags mapped into a track row (the scanner's single mapping, whether the tags were
 * read here or in a tag worker). Throws when the file holds no audio stream.
 */
export function trackFromMetadata(libraryId: number, relPath: string, meta: TagMetadata, file: { size: number; mtime: Date }): ScannedTrack {
  if (!meta.format.container && !meta.format.duration) throw new Error("no audio stream found");
  const c = meta.common;
  const suffix = path.extname(relPath).slice(1).toLowerCase();
  const artists = (c.artists && c.artists.length ? c.artists : c.artist ? [c.artist] : [UNKNOWN_ARTIST]).map((a) => a.trim()).filter(Boolean);
  // Several credited artists display as Navidrome shows them: "A • B".
  const artist = artists.length > 1 ? artists.join(" • ") : c.artist?.trim() || artists[0] || UNKNOWN_ARTIST;
  const albumArtist = c.albumartist?.trim() || artists[0] || UNKNOWN_ARTIST;
  const album = c.album?.trim() || UNKNOWN_ALBUM;
  const mbzArtistIds = c.musicbrainz_artistid ?? [];
  const participants: Participant[] = artists.map((name, i) => ({ id: artistId(name), name, ...(mbzArtistIds[i] ? { mbid: mbzArtistIds[i] } : {}), role: "artist" as const }));
  participants.push({ id: artistId(albumArtist), name: albumArtist, ...(first(c.musicbrainz_albumartistid) ? { mbid: first(c.musicbrainz_albumartistid) } : {}), role: "albumartist" });
  const genres = (c.genre ?? []).flatMap((g) => g.split(/\s*[;/]\s*/)).filter(Boolean);
  return {
    id: trackId(libraryId, relPath),
    libraryId,
    path: relPath,
    title: c.title?.trim() || path.basename(relPath, path.extname(relPath)),
    album,
    albumId: albumId(libraryId, albumArtist, album),
    artist,
    artistId: artistId(artists[0] ?? artist),
    albumArtist,
    albumArtistId: artistId(albumArtist),
    participants: JSON.stringify(participants),
    trackNumber: c.track?.no ?? 0,
    discNumber: c.disk?.no ?? 0,
    year: c.year ?? 0,
    genre: genres[0] ?? "",
    genres: JSON.stringify(genres),
    duration: meta.format.duration ?? 0,
    bitRate: Math.round((meta.format.bitrate ?? 0) / 1000),
    sampleRate: meta.format.sampleRate ?? 0,
    channels: meta.format.numberOfChannels ?? 0,
    size: BigInt(file.size),
    suffix,
    contentType: CONTENT_TYPES[suffix] ?? "application/octet-stream",
    hasCoverArt: meta.pictureCount > 0,
    mbzRecordingId: c.musicbrainz_recordingid ?? "",
    mbzReleaseTrackId: c.musicbrainz_trackid ?? "",
    mbzAlbumId: c.musicbrainz_albumid ?? "",
    mbzReleaseGroupId: c.musicbrainz_releasegroupid ?? "",
    mbzArtistId: first(mbzArtistIds) ?? "",
    mbzAlbumArtistId: first(c.musicbrainz_albumartistid) ?? "",
    isrc: first(c.isrc) ?? "",
    lyrics: lyricsOf(meta),
    mtime: file.mtime,
  };
}
