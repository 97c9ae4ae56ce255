import "server-only";
import { upsertPlayer } from "../db/players";
import type { Player } from "../db/rows";

export interface PlayerSighting {
  userId: string;
  /** The Subsonic `c` parameter. */
  client: string;
  userAgent: string;
  ip: string;
}

/**
 * Finds or registers the player a request comes from (Navidrome's `players.Register`):
 * one per user, client name and user agent; new players scrobble by default.
 */
export async function registerPlayer(s: PlayerSighting): Promise<Player> {
  const name = `${s.client} [${s.userAgent}]`;
  return upsertPlayer({ userId: s.userId, client: s.client, userAgent: s.userAgent, name, ip: s.ip });
}
