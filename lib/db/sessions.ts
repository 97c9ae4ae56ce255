import "server-only";
import { db } from "./client";
import type { Session } from "./generated/prisma/client";

/** The `Session` table: sign-ins whose tokens carry the row id; a row past `expiresAt` revokes them. */

/** Deletes the sessions that ended before `before`. */
export async function deleteSessionsEndedBefore(before: Date): Promise<void> {
  await db().session.deleteMany({ where: { expiresAt: { lt: before } } });
}

export async function insertSession(data: { id: string; userId: string; createdAt: Date; expiresAt: Date }): Promise<Session> {
  return db().session.create({ data });
}

export async function findSession(id: string): Promise<Session | null> {
  return db().session.findUnique({ where: { id } });
}

/** Ends a session at `at` (a missing id is not an error). */
export async function endSessionAt(id: string, at: Date): Promise<void> {
  await db().session.updateMany({ where: { id }, data: { expiresAt: at } });
}

/** The session row with this id, created with `data` when missing (an existing row is left as it is). */
export async function findOrInsertSession(data: { id: string; userId: string; createdAt: Date; expiresAt: Date }): Promise<Session> {
  return db().session.upsert({ where: { id: data.id }, create: data, update: {} });
}
