import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "./client";
import type { Player } from "./generated/prisma/client";
import { changingUsers } from "./user-generation";

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

/** A player as the transcoding settings show it. */
export interface PlayerBitRate {
  id: string;
  name: string;
  client: string;
  userAgent: string;
  userId: string;
  maxBitRate: number;
  lastSeen: Date;
}

const BIT_RATE_FIELDS = { id: true, name: true, client: true, userAgent: true, userId: true, maxBitRate: true, lastSeen: true } as const;

/** The stored cap of this user's player (client + user agent), or null for an unknown player. */
export async function findPlayerMaxBitRate(userId: string, client: string, userAgent: string): Promise<number | null> {
  const row = await db().player.findUnique({ where: { userId_client_userAgent: { userId, client, userAgent } }, select: { maxBitRate: true } });
  return row?.maxBitRate ?? null;
}

/** Players of one user (everyone's when `userId` is null), most recently seen first. */
export async function listPlayerBitRateRows(userId: string | null): Promise<PlayerBitRate[]> {
  return db().player.findMany({ where: userId ? { userId } : {}, orderBy: { lastSeen: "desc" }, select: BIT_RATE_FIELDS });
}

/** The owner of a player, or null when there is no such player. */
export async function findPlayerOwner(playerId: string): Promise<string | null> {
  return (await db().player.findUnique({ where: { id: playerId }, select: { userId: true } }))?.userId ?? null;
}

export async function setPlayerBitRateRow(playerId: string, maxBitRate: number): Promise<PlayerBitRate> {
  return db().player.update({ where: { id: playerId }, data: { maxBitRate }, select: BIT_RATE_FIELDS });
}

export async function userExists(userId: string): Promise<boolean> {
  return (await db().user.findUnique({ where: { id: userId }, select: { id: true } })) !== null;
}

export async function setUserBitRateRow(userId: string, maxBitRate: number): Promise<{ id: string; maxBitRate: number }> {
  return changingUsers(() => db().user.update({ where: { id: userId }, data: { maxBitRate }, select: { id: true, maxBitRate: true } }));
}
