import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { User as UserRow } from "../db/rows";
import { API_VERSION } from "../subsonic/respond";
import { userPassword } from "../users/users";

/** The Subsonic client name (`c`) of the web player: players are registered per client name and user agent. */
export const WEB_PLAYER_CLIENT = "Tessitura Web Player";

/** What the browser needs to call /rest/* as the signed-in user, without ever seeing the password. */
export interface PlayerSession {
  username: string;
  /** Subsonic token auth: `t = md5(password + s)`. */
  salt: string;
  token: string;
  client: string;
  version: string;
}

/**
 * Subsonic credentials for the web player, computed as `/auth/login` does (lib/auth/login-response.ts): a fresh salt
 * per call, so the token is useless for any other salt. The password never leaves the server.
 */
export function playerSessionFor(user: UserRow): PlayerSession {
  const salt = randomBytes(6).toString("hex");
  return {
    username: user.userName,
    salt,
    token: createHash("md5").update(userPassword(user) + salt).digest("hex"),
    client: WEB_PLAYER_CLIENT,
    version: API_VERSION,
  };
}
