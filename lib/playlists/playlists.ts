import "server-only";
import { randomInt } from "node:crypto";
import { db } from "../db/client";
import type { MediaFile, Playlist, User } from "../db/generated/prisma/client";
import { AppError } from "../errors";

/**
 * Playlists: owned by a user, private or public, an ordered list of tracks (a track may
 * appear more than once). Readers see only the tracks of the libraries they may browse,
 * so counts, durations and positions are computed over those.
 */

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A random, opaque 22-character base62 id (about 131 bits). */
export function newPlaylistId(): string {
  return Array.from({ length: 22 }, () => BASE62[randomInt(62)]).join("");
}

/** Who asks: the user and the libraries whose tracks they may see. */
export interface PlaylistViewer {
  user: Pick<User, "id" | "isAdmin">;
  libraryIds: number[];
}

/** A playlist as a reader sees it. */
export interface PlaylistView {
  playlist: Playlist;
  ownerName: string;
  songs: MediaFile[];
  duration: number;
  /** The viewer may not edit it (not the owner, not an admin). */
  readonly: boolean;
}

type WithOwner = Playlist & { owner: { userName: string } };

const canEdit = (pl: Playlist, user: PlaylistViewer["user"]) => pl.ownerId === user.id || user.isAdmin;
const canRead = (pl: Playlist, user: PlaylistViewer["user"]) => pl.public || canEdit(pl, user);

/** The visible tracks of each playlist, in order. */
async function visibleSongs(playlistIds: string[], libraryIds: number[]): Promise<Map<string, MediaFile[]>> {
  const entries = await db().playlistTrack.findMany({ where: { playlistId: { in: playlistIds } }, orderBy: [{ playlistId: "asc" }, { position: "asc" }] });
  const files = await db().mediaFile.findMany({ where: { id: { in: [...new Set(entries.map((e) => e.mediaFileId))] }, libraryId: { in: libraryIds } } });
  const byId = new Map(files.map((f) => [f.id, f]));
  const out = new Map<string, MediaFile[]>(playlistIds.map((id) => [id, []]));
  for (const e of entries) {
    const f = byId.get(e.mediaFileId);
    if (f) out.get(e.playlistId)!.push(f);
  }
  return out;
}

async function toViews(rows: WithOwner[], viewer: PlaylistViewer): Promise<PlaylistView[]> {
  const songs = await visibleSongs(rows.map((r) => r.id), viewer.libraryIds);
  return rows.map(({ owner, ...playlist }) => {
    const list = songs.get(playlist.id) ?? [];
    return { playlist, ownerName: owner.userName, songs: list, duration: list.reduce((s, f) => s + f.duration, 0), readonly: !canEdit(playlist, viewer.user) };
  });
}

/** The viewer's own playlists and everyone's public ones; with `ownerId`, that user's (own and public). */
export async function listPlaylists(viewer: PlaylistViewer, ownerId = viewer.user.id): Promise<PlaylistView[]> {
  const rows = await db().playlist.findMany({
    where: { OR: [{ ownerId }, { public: true }] },
    include: { owner: { select: { userName: true } } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  return toViews(rows, viewer);
}

async function findPlaylistOrThrow(id: string, user: PlaylistViewer["user"]): Promise<WithOwner> {
  const row = await db().playlist.findUnique({ where: { id }, include: { owner: { select: { userName: true } } } });
  // A private playlist of someone else does not exist for the viewer.
  if (!row || !canRead(row, user)) throw new AppError("NOT_FOUND", `Playlist not found: ${id}`);
  return row;
}

async function findEditablePlaylistOrThrow(id: string, user: PlaylistViewer["user"]): Promise<WithOwner> {
  const row = await findPlaylistOrThrow(id, user);
  if (!canEdit(row, user)) throw new AppError("FORBIDDEN", "Only the owner or an admin may change this playlist");
  return row;
}

export async function getPlaylistOrThrow(id: string, viewer: PlaylistViewer): Promise<PlaylistView> {
  return (await toViews([await findPlaylistOrThrow(id, viewer.user)], viewer))[0];
}

/** Checks every song exists in the viewer's libraries. */
async function checkSongs(songIds: string[], libraryIds: number[]): Promise<void> {
  const unique = [...new Set(songIds)];
  const found = new Set((await db().mediaFile.findMany({ where: { id: { in: unique }, libraryId: { in: libraryIds } }, select: { id: true } })).map((f) => f.id));
  const missing = unique.find((id) => !found.has(id));
  if (missing) throw new AppError("NOT_FOUND", `Song not found: ${missing}`);
}

/** Stores a playlist's track list, positions renumbered from 0. */
async function writeSongs(playlistId: string, songIds: string[]): Promise<void> {
  await db().$transaction([
    db().playlistTrack.deleteMany({ where: { playlistId } }),
    db().playlistTrack.createMany({ data: songIds.map((mediaFileId, position) => ({ playlistId, position, mediaFileId })) }),
    db().playlist.update({ where: { id: playlistId }, data: { updatedAt: new Date() } }),
  ]);
}

export async function createPlaylist(viewer: PlaylistViewer, input: { name: string; songIds: string[] }): Promise<PlaylistView> {
  await checkSongs(input.songIds, viewer.libraryIds);
  const id = newPlaylistId();
  await db().playlist.create({ data: { id, name: input.name, ownerId: viewer.user.id } });
  await writeSongs(id, input.songIds);
  return getPlaylistOrThrow(id, viewer);
}

/** Replaces a playlist's songs (and renames it when a name is given). */
export async function replacePlaylistSongs(id: string, viewer: PlaylistViewer, input: { name?: string; songIds: string[] }): Promise<PlaylistView> {
  await findEditablePlaylistOrThrow(id, viewer.user);
  await checkSongs(input.songIds, viewer.libraryIds);
  if (input.name) await db().playlist.update({ where: { id }, data: { name: input.name } });
  await writeSongs(id, input.songIds);
  return getPlaylistOrThrow(id, viewer);
}

export interface PlaylistPatch {
  name?: string;
  comment?: string;
  public?: boolean;
  /** Appended after the removals. */
  songIdsToAdd?: string[];
  /** Positions in the list the viewer sees (0-based). */
  songIndexesToRemove?: number[];
}

export async function updatePlaylist(id: string, viewer: PlaylistViewer, patch: PlaylistPatch): Promise<void> {
  await findEditablePlaylistOrThrow(id, viewer.user);
  const { name, comment, public: isPublic } = patch;
  await db().playlist.update({ where: { id }, data: { name, comment, public: isPublic } });
  if (!patch.songIdsToAdd?.length && !patch.songIndexesToRemove?.length) return;
  await checkSongs(patch.songIdsToAdd ?? [], viewer.libraryIds);

  const stored = (await db().playlistTrack.findMany({ where: { playlistId: id }, orderBy: { position: "asc" } })).map((t) => t.mediaFileId);
  const visible = new Set((await db().mediaFile.findMany({ where: { id: { in: stored }, libraryId: { in: viewer.libraryIds } }, select: { id: true } })).map((f) => f.id));
  const remove = new Set(patch.songIndexesToRemove ?? []);
  let seen = -1;
  const kept = stored.filter((songId) => !(visible.has(songId) && remove.has(++seen)));
  await writeSongs(id, [...kept, ...(patch.songIdsToAdd ?? [])]);
}

export async function deletePlaylist(id: string, viewer: PlaylistViewer): Promise<void> {
  await findEditablePlaylistOrThrow(id, viewer.user);
  await db().playlist.delete({ where: { id } });
}
