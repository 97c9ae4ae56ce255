import type { MediaFile } from "../../db/rows";
import type { Manifest } from "../manifest/types";

/** `ArtistRef` as the host sends it: `{id?, name, mbid?}` (empty fields omitted). */
export interface ArtistRef {
  id?: string;
  name: string;
  mbid?: string;
}

/**
 * `TrackInfo` (contract §3.2), the track description scrobblers and lyrics providers
 * receive. Go always sends the non-optional fields, arrays as `[]` (never `null`); the
 * MusicBrainz ids, `libraryId` and `path` are omitted when empty.
 */
export interface TrackInfo {
  id: string;
  title: string;
  album: string;
  artist: string;
  albumArtist: string;
  artists: ArtistRef[];
  albumArtists: ArtistRef[];
  duration: number;
  trackNumber: number;
  discNumber: number;
  mbzRecordingId?: string;
  mbzAlbumId?: string;
  mbzReleaseGroupId?: string;
  mbzReleaseTrackId?: string;
  libraryId?: number;
  path?: string;
}

interface Participant {
  id: string;
  name: string;
  mbid?: string;
  role: string;
}

const ref = (p: Participant): ArtistRef => ({ ...(p.id ? { id: p.id } : {}), name: p.name, ...(p.mbid ? { mbid: p.mbid } : {}) });

/**
 * The value Go prints for a float32 (its shortest decimal that reads back as the same
 * float32): `243.13`, where a float64 would show `243.1300048828125`.
 */
export function float32(n: number): number {
  const f = Math.fround(n);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

/**
 * Builds the TrackInfo for a plugin. `libraryId`/`path` are only filled for plugins with
 * `library.filesystem` whose library scope includes the track's library.
 */
export function trackInfo(mf: MediaFile, plugin?: { manifest: Manifest; allLibraries: boolean; libraries: number[] }): TrackInfo {
  const parts = JSON.parse(mf.participants) as Participant[];
  const exposeFs = !!plugin?.manifest.permissions?.library?.filesystem && (plugin.allLibraries || plugin.libraries.includes(mf.libraryId));
  return {
    id: mf.id,
    title: mf.title,
    album: mf.album,
    artist: mf.artist,
    albumArtist: mf.albumArtist,
    artists: parts.filter((p) => p.role === "artist").map(ref),
    albumArtists: parts.filter((p) => p.role === "albumartist").map(ref),
    duration: float32(mf.duration),
    trackNumber: mf.trackNumber,
    discNumber: mf.discNumber,
    ...(mf.mbzRecordingId ? { mbzRecordingId: mf.mbzRecordingId } : {}),
    ...(mf.mbzAlbumId ? { mbzAlbumId: mf.mbzAlbumId } : {}),
    ...(mf.mbzReleaseGroupId ? { mbzReleaseGroupId: mf.mbzReleaseGroupId } : {}),
    ...(mf.mbzReleaseTrackId ? { mbzReleaseTrackId: mf.mbzReleaseTrackId } : {}),
    ...(exposeFs && mf.libraryId ? { libraryId: mf.libraryId } : {}),
    ...(exposeFs && mf.path ? { path: mf.path } : {}),
  };
}
