import "server-only";
import { db } from "../db/client";
import type { Player } from "../db/generated/prisma/client";

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
  return db().player.upsert({
    where: { userId_client_userAgent: { userId: s.userId, client: s.client, userAgent: s.userAgent } },
    create: { id: crypto.randomUUID(), name, userId: s.userId, client: s.client, userAgent: s.userAgent, ip: s.ip, scrobbleEnabled: true },
    update: { name, ip: s.ip, lastSeen: new Date() },
  });
}
