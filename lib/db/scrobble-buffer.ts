import "server-only";
import { randomUUID } from "node:crypto";
import { findTrack } from "./catalog";
import { db } from "./client";
import type { MediaFile } from "./generated/prisma/client";

/**
 * The persistent scrobble buffer (Navidrome's `scrobble_buffer`): scrobbles waiting for a
 * service, so they survive restarts and service outages. `service` is the plugin id.
 */
export interface BufferedScrobble {
  id: string;
  userId: string;
  playTime: Date;
  /** Null when the track has left the library since it was played. */
  track: MediaFile | null;
}

/** Buffers a scrobble; the same play buffered twice is kept once. */
export async function enqueueScrobble(service: string, userId: string, mediaFileId: string, playTime: Date): Promise<void> {
  await db().scrobbleBuffer.upsert({
    where: { service_userId_mediaFileId_playTime: { service, userId, mediaFileId, playTime } },
    create: { id: randomUUID(), service, userId, mediaFileId, playTime },
    update: {},
  });
}

/** Users with scrobbles waiting for `service`, fewest first (as Navidrome orders them). */
export async function bufferedUserIds(service: string): Promise<string[]> {
  const rows = await db().scrobbleBuffer.groupBy({ by: ["userId"], where: { service }, _count: { _all: true } });
  return rows.sort((a, b) => a._count._all - b._count._all || a.userId.localeCompare(b.userId)).map((r) => r.userId);
}

/** The user's oldest waiting play for `service`, or null. */
export async function nextScrobble(service: string, userId: string): Promise<BufferedScrobble | null> {
  const row = await db().scrobbleBuffer.findFirst({ where: { service, userId }, orderBy: [{ playTime: "asc" }, { enqueueTime: "asc" }] });
  if (!row) return null;
  const track = await findTrack(row.mediaFileId);
  return { id: row.id, userId: row.userId, playTime: row.playTime, track };
}

export async function dequeueScrobble(id: string): Promise<void> {
  await db().scrobbleBuffer.deleteMany({ where: { id } });
}

/** Drops everything waiting for a service (its plugin was removed). */
export async function discardScrobbles(service: string): Promise<number> {
  return (await db().scrobbleBuffer.deleteMany({ where: { service } })).count;
}

/** Services with scrobbles waiting. */
export async function bufferedServices(): Promise<string[]> {
  return (await db().scrobbleBuffer.findMany({ distinct: ["service"], select: { service: true } })).map((r) => r.service);
}

/** How many scrobbles wait for `service`. */
export async function countBufferedScrobbles(service: string): Promise<number> {
  return db().scrobbleBuffer.count({ where: { service } });
}
