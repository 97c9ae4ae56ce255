import "server-only";
import { findPlayerMaxBitRate, findPlayerOwner, listPlayerBitRateRows, setPlayerBitRateRow, setUserBitRateRow, userExists, type PlayerBitRate } from "../../db/players";
import { AppError } from "../../errors";
import type { User } from "../../db/rows";
import type { BitRateLimits } from "./profiles";

export type { PlayerBitRate };

/**
 * The caps that apply to a stream request besides its own `maxBitRate`: the user's, and
 * the player's (the Player row of this user, client name and user agent, registered when
 * the client reports playback or scrobbles, as in Navidrome; an unknown player has none).
 */
export async function storedBitRateLimits(user: Pick<User, "id" | "maxBitRate">, client: string, userAgent: string): Promise<Omit<BitRateLimits, "request">> {
  const player = client ? await findPlayerMaxBitRate(user.id, client, userAgent) : null;
  return { user: user.maxBitRate, player: player ?? 0 };
}

/** Highest cap accepted (kbps); above any profile's rate, so it only ever means "no lower". */
export const MAX_BIT_RATE_SETTING = 2000;

/** The players of one user (every user's when `userId` is null), most recently seen first. */
export async function listPlayerBitRates(userId: string | null): Promise<PlayerBitRate[]> {
  return listPlayerBitRateRows(userId);
}

/**
 * Sets a player's cap. `actor` may change only their own players unless an admin; a
 * player of someone else is "not found" to a non-admin, as elsewhere.
 */
export async function setPlayerMaxBitRate(actor: Pick<User, "id" | "isAdmin">, playerId: string, maxBitRate: number): Promise<PlayerBitRate> {
  const owner = await findPlayerOwner(playerId);
  if (!owner || (!actor.isAdmin && owner !== actor.id)) throw new AppError("NOT_FOUND", "player not found");
  return setPlayerBitRateRow(playerId, maxBitRate);
}

/** Sets a user's cap (an admin decision: the caller checks the role). */
export async function setUserMaxBitRate(userId: string, maxBitRate: number): Promise<{ id: string; maxBitRate: number }> {
  if (!(await userExists(userId))) throw new AppError("NOT_FOUND", "user not found");
  return setUserBitRateRow(userId, maxBitRate);
}
