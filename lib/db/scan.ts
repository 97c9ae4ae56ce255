import "server-only";
import { participantsOf, type Participant } from "./catalog";
import { db } from "./client";
import type { Library, Prisma } from "./generated/prisma/client";

/**
 * The scanner's reads and writes: a library's tracks by path, then albums, artists and
 * library totals rebuilt from the tracks. Agent-provided info on albums and artists
 * (descriptions, images) survives a rebuild.
 */

/** The libraries a scan covers, by id: one, or all when `libraryId` is absent. */
export async function librariesToScan(libraryId?: number): Promise<Library[]> {
  return db().library.findMany({ where: libraryId ? { id: libraryId } : {}, orderBy: { id: "asc" } });
}

export async function markScanStarted(libraryId: number): Promise<void> {
  await db().library.update({ where: { id: libraryId }, data: { lastScanStartedAt: new Date() } });
}

/** The stored modification time and size of each track of a library, by relative path. */
export async function trackStamps(libraryId: number): Promise<Map<string, { mtime: Date; size: bigint }>> {
  const rows = await db().mediaFile.findMany({ where: { libraryId }, select: { path: true, mtime: true, size: true } });
  return new Map(rows.map((r) => [r.path, { mtime: r.mtime, size: r.size }]));
}

/** Stores freshly read tracks, replacing the rows at their paths, in one transaction. */
export async function replaceTracks(libraryId: number, tracks: Prisma.MediaFileCreateManyInput[]): Promise<void> {
  await db().$transaction([db().mediaFile.deleteMany({ where: { libraryId, path: { in: tracks.map((t) => t.path) } } }), db().mediaFile.createMany({ data: tracks })]);
}

export async function deleteTracksAt(libraryId: number, paths: string[]): Promise<void> {
  await db().mediaFile.deleteMany({ where: { libraryId, path: { in: paths } } });
}

/** What an album is rebuilt from, per track of a library (genres decoded). */
export interface AlbumSourceTrack {
  id: string;
  path: string;
  album: string;
  albumId: string;
  albumArtist: string;
  albumArtistId: string;
  year: number;
  genres: string[];
  duration: number;
  size: bigint;
  mbzAlbumId: string;
  mbzReleaseGroupId: string;
  hasCoverArt: boolean;
}

export async function albumSourceTracks(libraryId: number): Promise<AlbumSourceTrack[]> {
  const rows = await db().mediaFile.findMany({
    where: { libraryId },
    select: { id: true, path: true, album: true, albumId: true, albumArtist: true, albumArtistId: true, year: true, genres: true, duration: true, size: true, mbzAlbumId: true, mbzReleaseGroupId: true, hasCoverArt: true },
  });
  return rows.map((r) => ({ ...r, genres: JSON.parse(r.genres) as string[] }));
}

/**
 * Replaces a library's albums, in batches of `batch` inside one transaction. An album that
 * existed keeps its agent info (description, URLs, images, refresh time) and `createdAt`.
 */
export async function replaceAlbums(libraryId: number, albums: Prisma.AlbumCreateManyInput[], batch: number): Promise<void> {
  const keep = new Map((await db().album.findMany({ where: { libraryId } })).map((a) => [a.id, a]));
  await db().$transaction(async (tx) => {
    await tx.album.deleteMany({ where: { libraryId } });
    for (let i = 0; i < albums.length; i += batch) {
      await tx.album.createMany({
        data: albums.slice(i, i + batch).map((d) => {
          const old = keep.get(d.id);
          return old
            ? { ...d, description: old.description, externalUrl: old.externalUrl, smallImageUrl: old.smallImageUrl, mediumImageUrl: old.mediumImageUrl, largeImageUrl: old.largeImageUrl, externalInfoUpdatedAt: old.externalInfoUpdatedAt, createdAt: old.createdAt }
            : d;
        }),
      });
    }
  });
}

/** Every track's album, credits (decoded) and size, across all libraries, for rebuilding artists. */
export async function artistSourceTracks(): Promise<{ albumId: string; participants: Participant[]; size: bigint }[]> {
  const rows = await db().mediaFile.findMany({ select: { albumId: true, participants: true, size: true } });
  return rows.map((r) => ({ albumId: r.albumId, participants: participantsOf(r), size: r.size }));
}

/** An artist as the scan computes it. */
export interface ScannedArtist {
  id: string;
  name: string;
  sortName: string;
  orderName: string;
  mbzArtistId: string;
  albumCount: number;
  songCount: number;
  size: bigint;
}

/** Makes the artist table exactly these artists, in one transaction: others deleted, existing ones updated (agent info kept), new ones created. */
export async function syncArtists(artists: ScannedArtist[]): Promise<void> {
  const existing = new Set((await db().artist.findMany({ select: { id: true } })).map((a) => a.id));
  await db().$transaction(async (tx) => {
    await tx.artist.deleteMany({ where: { id: { notIn: artists.map((a) => a.id) } } });
    for (const { id, ...data } of artists) {
      if (existing.has(id)) await tx.artist.update({ where: { id }, data });
      else await tx.artist.create({ data: { id, ...data } });
    }
  });
}

/** Recomputes a library's totals (songs, albums, artists, size, duration) and stamps the scan's end. */
export async function refreshLibraryTotals(libraryId: number): Promise<void> {
  const [songs, albums, agg, artistRows] = await Promise.all([
    db().mediaFile.count({ where: { libraryId } }),
    db().album.count({ where: { libraryId } }),
    db().mediaFile.aggregate({ where: { libraryId }, _sum: { size: true, duration: true } }),
    db().mediaFile.findMany({ where: { libraryId }, select: { artistId: true }, distinct: ["artistId"] }),
  ]);
  await db().library.update({
    where: { id: libraryId },
    data: { totalSongs: songs, totalAlbums: albums, totalArtists: artistRows.length, totalSize: agg._sum.size ?? 0n, totalDuration: agg._sum.duration ?? 0, lastScanAt: new Date() },
  });
}
