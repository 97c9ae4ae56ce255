import "server-only";
import type { User as UserRow } from "../../db/rows";
import { findUserByName, listUserRows } from "../../users/users";
import { libraryIdsFor } from "../access";
import type { SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";

/** A user as Subsonic describes one: roles are fixed by what this server offers, `folder` lists the user's libraries. */
async function subsonicUser(u: UserRow) {
  return {
    username: u.userName,
    email: u.email || undefined,
    scrobblingEnabled: true,
    adminRole: u.isAdmin,
    settingsRole: true,
    downloadRole: true,
    uploadRole: false,
    playlistRole: true,
    coverArtRole: true,
    commentRole: false,
    podcastRole: false,
    streamRole: true,
    jukeboxRole: false,
    shareRole: false,
    videoConversionRole: false,
    folder: (await libraryIdsFor(u)).sort((a, b) => a - b),
  };
}

export const getUser: SubsonicHandler = async (ctx) => {
  const username = ctx.params.required("username");
  const self = username.toLowerCase() === ctx.user.userName.toLowerCase();
  if (!self && !ctx.user.isAdmin) throw new SubsonicError(50, "Only admins may see other users");
  const user = self ? ctx.user : await findUserByName(username);
  if (!user) throw new SubsonicError(70, `User not found: ${username}`);
  return { user: await subsonicUser(user) };
};

export const getUsers: SubsonicHandler = async (ctx) => {
  if (!ctx.user.isAdmin) throw new SubsonicError(50, "Only admins may list users");
  const users = await listUserRows();
  return { users: { user: await Promise.all(users.map(subsonicUser)) } };
};
