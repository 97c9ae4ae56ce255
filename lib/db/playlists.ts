import "server-only";
import { db } from "./client";
import type { Playlist } from "./generated/prisma/client";

/** The `Playlist` and `PlaylistTrack` tables: playlists and their ordered track ids (positions from 0). */

/** A playlist with its owner's user name. */
export type PlaylistWithOwner = Playlist & { owner: { userName: string } };

const withOwner = { owner: { select: { userName: true } } } as const;

/** Playlists owned by `ownerId` or public, by name. */
export async function findPlaylistsOwnedOrPublic(ownerId: string): Promise<PlaylistWithOwner[]> {
  return db().playlist.findMany({ where: { OR: [{ ownerId }, { public: true }] }, include: withOwner, orderBy: [{ name: "asc" }, { id: "asc" }] });
}

export async function findPlaylist(id: string): Promise<PlaylistWithOwner | null> {
  return db().playlist.findUnique({ where: { id }, include: withOwner });
}

/** The track ids of each playlist, in position order (a track may appear more than once). */
export async function playlistTrackIds(playlistIds: string[]): Promise<Map<string, string[]>> {
  const entries = await db().playlistTrack.findMany({ where: { playlistId: { in: playlistIds } }, orderBy: [{ playlistId: "asc" }, { position: "asc" }] });
  const out = new Map<string, string[]>(playlistIds.map((id) => [id, []]));
  for (const e of entries) out.get(e.playlistId)!.push(e.mediaFileId);
  return out;
}

/** The track at the first position of a playlist (its cover), or null when empty. */
export async function firstTrackIdOf(playlistId: string): Promise<string | null> {
  return (await db().playlistTrack.findFirst({ where: { playlistId }, orderBy: { position: "asc" } }))?.mediaFileId ?? null;
}

export async function insertPlaylist(data: { id: string; name: string; ownerId: string }): Promise<void> {
  await db().playlist.create({ data });
}

/** Sets name, comment and visibility; fields left undefined keep their value. */
export async function updatePlaylistRow(id: string, data: { name?: string; comment?: string; public?: boolean }): Promise<void> {
  await db().playlist.update({ where: { id }, data });
}

/** Replaces a playlist's tracks (positions renumbered from 0) and touches `updatedAt`, in one transaction. */
export async function writePlaylistTracks(playlistId: string, trackIds: string[]): Promise<void> {
  await db().$transaction([
    db().playlistTrack.deleteMany({ where: { playlistId } }),
    db().playlistTrack.createMany({ data: trackIds.map((mediaFileId, position) => ({ playlistId, position, mediaFileId })) }),
    db().playlist.update({ where: { id: playlistId }, data: { updatedAt: new Date() } }),
  ]);
}

export async function deletePlaylistRow(id: string): Promise<void> {
  await db().playlist.delete({ where: { id } });
}

/** What a PlaylistProvider sync writes (addendum A3.4). */
export interface PluginPlaylistWrite {
  id: string;
  name: string;
  comment: string;
  ownerId: string;
  pluginId: string;
  pluginPlaylistId: string;
  validUntil: Date | null;
  syncedAt: Date;
  /** Replaces the track list when non-empty; an empty list keeps the previous tracks (as Navidrome does). */
  trackIds: string[];
}

/**
 * Inserts or fully rewrites a plugin playlist in one transaction. Every sync resets `public`
 * to false, like Navidrome's update-all-columns upsert.
 */
export async function upsertPluginPlaylist(w: PluginPlaylistWrite): Promise<void> {
  const row = { name: w.name, comment: w.comment, ownerId: w.ownerId, public: false, pluginId: w.pluginId, pluginPlaylistId: w.pluginPlaylistId, validUntil: w.validUntil, syncedAt: w.syncedAt };
  const ops = [db().playlist.upsert({ where: { id: w.id }, create: { id: w.id, ...row }, update: row })];
  if (w.trackIds.length > 0)
    ops.push(
      db().playlistTrack.deleteMany({ where: { playlistId: w.id } }) as never,
      db().playlistTrack.createMany({ data: w.trackIds.map((mediaFileId, position) => ({ playlistId: w.id, position, mediaFileId })) }) as never,
    );
  await db().$transaction(ops);
}

/** A plugin's playlists with owner name and track count, for its admin page. */
export async function findPluginPlaylists(pluginId: string): Promise<(PlaylistWithOwner & { _count: { tracks: number } })[]> {
  if (!pluginId) return [];
  return db().playlist.findMany({ where: { pluginId }, include: { ...withOwner, _count: { select: { tracks: true } } }, orderBy: [{ name: "asc" }, { id: "asc" }] });
}
