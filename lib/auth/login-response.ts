import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { User as UserRow } from "../db/rows";
import { userPassword } from "../users/users";

/**
 * Navidrome's `/auth/login` answer, so its clients and scripts work unchanged:
 * the user, a session token, and Subsonic salt+token for the web player.
 */
export function loginResponseBody(user: UserRow, token: string) {
  const salt = randomBytes(6).toString("hex");
  return {
    id: user.id,
    name: user.name,
    username: user.userName,
    isAdmin: user.isAdmin,
    token,
    subsonicSalt: salt,
    subsonicToken: createHash("md5").update(userPassword(user) + salt).digest("hex"),
  };
}
