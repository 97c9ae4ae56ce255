import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "./client";
import type { Player } from "./generated/prisma/client";

/** The `Player` table: Subsonic clients per user, client name and user agent. */

/**
 * The player of this user, client and user agent, created (scrobbling on) when new, else
 * renamed and marked seen now from `ip`.
 */
export async function upsertPlayer(p: { userId: string; client: string; userAgent: string; name: string; ip: string }): Promise<Player> {
  return db().player.upsert({
    where: { userId_client_userAgent: { userId: p.userId, client: p.client, userAgent: p.userAgent } },
    create: { id: randomUUID(), name: p.name, userId: p.userId, client: p.client, userAgent: p.userAgent, ip: p.ip, scrobbleEnabled: true },
    update: { name: p.name, ip: p.ip, lastSeen: new Date() },
  });
}
