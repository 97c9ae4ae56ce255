import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { countApiKeys, deleteApiKeyRow, insertApiKey, listApiKeyRows } from "../db/api-keys";
import { changingUsers } from "../db/user-generation";
import { AppError } from "../errors";
import { hashApiKey } from "../subsonic/auth";

/**
 * OpenSubsonic API keys (`apiKeyAuthentication`): each user creates and revokes their own.
 * Only a hash is stored; the key is shown once, when it is created.
 */
export const NewApiKeySchema = z.object({ name: z.string().trim().min(1, "required").max(100) });

export interface ApiKeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

const MAX_KEYS_PER_USER = 50;

export async function listApiKeys(userId: string): Promise<ApiKeyView[]> {
  const rows = await listApiKeyRows(userId);
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt.toISOString(), lastUsedAt: r.lastUsedAt?.toISOString() ?? null }));
}

export async function createApiKey(userId: string, name: string): Promise<ApiKeyView & { key: string }> {
  if ((await countApiKeys(userId)) >= MAX_KEYS_PER_USER) throw new AppError("CONFLICT", `at most ${MAX_KEYS_PER_USER} API keys per user`);
  const key = `tess_${randomBytes(24).toString("base64url")}`;
  const row = await changingUsers(() => insertApiKey({ id: randomUUID(), userId, name, keyHash: hashApiKey(key) }));
  return { id: row.id, name: row.name, createdAt: row.createdAt.toISOString(), lastUsedAt: null, key };
}

export async function deleteApiKey(userId: string, id: string): Promise<void> {
  // The generation bump drops cached key lookups (lib/auth/credential-cache): a revoked key stops at once.
  if (!(await changingUsers(() => deleteApiKeyRow(userId, id)))) throw new AppError("NOT_FOUND", "API key not found");
}
