import "server-only";
import { db } from "./client";
import type { ApiKey, User } from "./generated/prisma/client";

/** The `ApiKey` table (OpenSubsonic API keys; only a SHA-256 of each key is stored). */

/** A user's keys, oldest first. */
export async function listApiKeyRows(userId: string): Promise<ApiKey[]> {
  return db().apiKey.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}

export async function countApiKeys(userId: string): Promise<number> {
  return db().apiKey.count({ where: { userId } });
}

export async function insertApiKey(data: { id: string; userId: string; name: string; keyHash: string }): Promise<ApiKey> {
  return db().apiKey.create({ data });
}

/** Deletes a user's key; false when the user has no key with this id. */
export async function deleteApiKeyRow(userId: string, id: string): Promise<boolean> {
  return (await db().apiKey.deleteMany({ where: { id, userId } })).count > 0;
}

/** The user a key hash belongs to, marking the key used now; null for an unknown hash. */
export async function useApiKey(keyHash: string): Promise<User | null> {
  const row = await db().apiKey.findUnique({ where: { keyHash }, include: { user: true } });
  if (!row) return null;
  await db().apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return row.user;
}
