import "server-only";
import { randomInt } from "node:crypto";
import { findTracksIn, trackIdsAmong } from "../db/catalog";
import * as store from "../db/playlists";
import type { MediaFile, Playlist, User } from "../db/rows";
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
  /** The viewer may not edit it (not the owner, not an admin, or a plugin keeps it). */
  readonly: boolean;
}

type WithOwner = store.PlaylistWithOwner;

const canEdit = (pl: Playlist, user: PlaylistViewer["user"]) => pl.ownerId === user.id || user.isAdmin;
/** A playlist a PlaylistProvider plugin keeps (addendum A3.5): its tracks, name and comment are the plugin's. */
export const isPluginPlaylist = (pl: Pick<Playlist, "pluginId">) => pl.pluginId !== "";

function refuseIfPluginPlaylist(pl: Playlist): void {
  if (isPluginPlaylist(pl)) throw new AppError("FORBIDDEN", "Playlists from plugins are read-only");
}
const canRead = (pl: Playlist, user: PlaylistViewer["user"]) => pl.public || canEdit(pl, user);

/** The visible tracks of each playlist, in order. */
async function visibleSongs(playlistIds: string[], libraryIds: number[]): Promise<Map<string, MediaFile[]>> {
  const entries = await store.playlistTrackIds(playlistIds);
  const files = await findTracksIn([...new Set([...entries.values()].flat())], libraryIds);
  const byId = new Map(files.map((f) => [f.id, f]));
  return new Map([...entries].map(([id, trackIds]) => [id, trackIds.map((t) => byId.get(t)).filter((f): f is MediaFile => f !== undefined)]));
}

async function toViews(rows: WithOwner[], viewer: PlaylistViewer): Promise<PlaylistView[]> {
  const songs = await visibleSongs(rows.map((r) => r.id), viewer.libraryIds);
  return rows.map(({ owner, ...playlist }) => {
    const list = songs.get(playlist.id) ?? [];
    return { playlist, ownerName: owner.userName, songs: list, duration: list.reduce((s, f) => s + f.duration, 0), readonly: !canEdit(playlist, viewer.user) || isPluginPlaylist(playlist) };
  });
}

/** The viewer's own playlists and everyone's public ones; with `ownerId`, that user's (own and public). */
export async function listPlaylists(viewer: PlaylistViewer, ownerId = viewer.user.id): Promise<PlaylistView[]> {
  return toViews(await store.findPlaylistsOwnedOrPublic(ownerId), viewer);
}

async function findPlaylistOrThrow(id: string, user: PlaylistViewer["user"]): Promise<WithOwner> {
  const row = await store.findPlaylist(id);
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
  const found = new Set(await trackIdsAmong(unique, libraryIds));
  const missing = unique.find((id) => !found.has(id));
  if (missing) throw new AppError("NOT_FOUND", `Song not found: ${missing}`);
}

/** Stores a playlist's track list, positions renumbered from 0. */
const writeSongs = store.writePlaylistTracks;

export async function createPlaylist(viewer: PlaylistViewer, input: { name: string; songIds: string[] }): Promise<PlaylistView> {
  await checkSongs(input.songIds, viewer.libraryIds);
  const id = newPlaylistId();
  await store.insertPlaylist({ id, name: input.name, ownerId: viewer.user.id });
  await writeSongs(id, input.songIds);
  return getPlaylistOrThrow(id, viewer);
}

/** Replaces a playlist's songs (and renames it when a name is given). */
export async function replacePlaylistSongs(id: string, viewer: PlaylistViewer, input: { name?: string; songIds: string[] }): Promise<PlaylistView> {
  refuseIfPluginPlaylist(await findEditablePlaylistOrThrow(id, viewer.user));
  await checkSongs(input.songIds, viewer.libraryIds);
  if (input.name) await store.updatePlaylistRow(id, { name: input.name });
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
  const row = await findEditablePlaylistOrThrow(id, viewer.user);
  // Only the public flag of a plugin playlist may change (the next sync resets it, A3.4); a
  // client that sends the unchanged name or comment along with it is not refused.
  const renames = (patch.name !== undefined && patch.name !== row.name) || (patch.comment !== undefined && patch.comment !== row.comment);
  if (renames || patch.songIdsToAdd?.length || patch.songIndexesToRemove?.length) refuseIfPluginPlaylist(row);
  const { name, comment, public: isPublic } = patch;
  await store.updatePlaylistRow(id, { name, comment, public: isPublic });
  if (!patch.songIdsToAdd?.length && !patch.songIndexesToRemove?.length) return;
  await checkSongs(patch.songIdsToAdd ?? [], viewer.libraryIds);

  const stored = (await store.playlistTrackIds([id])).get(id)!;
  const visible = new Set(await trackIdsAmong(stored, viewer.libraryIds));
  const remove = new Set(patch.songIndexesToRemove ?? []);
  let seen = -1;
  const kept = stored.filter((songId) => !(visible.has(songId) && remove.has(++seen)));
  await writeSongs(id, [...kept, ...(patch.songIdsToAdd ?? [])]);
}

export async function deletePlaylist(id: string, viewer: PlaylistViewer): Promise<void> {
  await findEditablePlaylistOrThrow(id, viewer.user);
  await store.deletePlaylistRow(id);
}
