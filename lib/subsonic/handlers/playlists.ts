import "server-only";
import { findUserByName } from "../../users/users";
import * as playlists from "../../playlists/playlists";
import type { PlaylistView, PlaylistViewer } from "../../playlists/playlists";
import { annotationsFor, libraryIdsFor } from "../access";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";
import { playlistShape, songChild } from "../shapes";

async function viewerOf(ctx: SubsonicContext): Promise<PlaylistViewer> {
  return { user: ctx.user, libraryIds: await libraryIdsFor(ctx.user) };
}

function header(v: PlaylistView) {
  // A plugin playlist's expiry (addendum A3.5), when the plugin gave one.
  const validUntil = v.playlist.pluginId && v.playlist.validUntil ? v.playlist.validUntil.toISOString() : undefined;
  return { ...playlistShape({ ...v.playlist, _count: { tracks: v.songs.length } }, v.ownerName, v.duration), readonly: v.readonly, validUntil };
}

async function withSongs(ctx: SubsonicContext, v: PlaylistView) {
  const ann = await annotationsFor(ctx.user, { track: v.songs.map((s) => s.id) });
  return { playlist: { ...header(v), entry: v.songs.map((s) => songChild(s, ann)) } };
}

export const getPlaylists: SubsonicHandler = async (ctx) => {
  const username = ctx.params.string("username");
  let ownerId = ctx.user.id;
  if (username && username.toLowerCase() !== ctx.user.userName.toLowerCase()) {
    if (!ctx.user.isAdmin) throw new SubsonicError(50, "Only admins may list the playlists of another user");
    const owner = await findUserByName(username);
    if (!owner) throw new SubsonicError(70, `User not found: ${username}`);
    ownerId = owner.id;
  }
  const list = await playlists.listPlaylists(await viewerOf(ctx), ownerId);
  return { playlists: { playlist: list.map(header) } };
};

export const getPlaylist: SubsonicHandler = async (ctx) => withSongs(ctx, await playlists.getPlaylistOrThrow(ctx.params.required("id"), await viewerOf(ctx)));

/** Creates a playlist (`name`) or replaces the songs of one (`playlistId`). */
export const createPlaylist: SubsonicHandler = async (ctx) => {
  const playlistId = ctx.params.string("playlistId");
  const name = ctx.params.string("name");
  const songIds = ctx.params.all("songId");
  const viewer = await viewerOf(ctx);
  if (playlistId) return withSongs(ctx, await playlists.replacePlaylistSongs(playlistId, viewer, { name, songIds }));
  if (!name) throw new SubsonicError(10, "Required parameter 'name' or 'playlistId' is missing.");
  return withSongs(ctx, await playlists.createPlaylist(viewer, { name, songIds }));
};

export const updatePlaylist: SubsonicHandler = async (ctx) => {
  const p = ctx.params;
  const indexes = p.all("songIndexToRemove").map(Number);
  if (indexes.some((i) => !Number.isInteger(i))) throw new SubsonicError(0, "Invalid 'songIndexToRemove'");
  await playlists.updatePlaylist(p.required("playlistId"), await viewerOf(ctx), {
    name: p.string("name") || undefined,
    comment: p.string("comment"),
    public: p.raw.has("public") ? p.bool("public", false) : undefined,
    songIdsToAdd: p.all("songIdToAdd"),
    songIndexesToRemove: indexes,
  });
  return {};
};

export const deletePlaylist: SubsonicHandler = async (ctx) => {
  await playlists.deletePlaylist(ctx.params.required("id"), await viewerOf(ctx));
  return {};
};
