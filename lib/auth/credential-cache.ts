import "server-only";
import { useApiKey } from "../db/api-keys";
import type { User as UserRow } from "../db/rows";
import { userTableGeneration } from "../db/user-generation";
import { remember } from "../server/remember";
import { findUserByName, userPassword } from "../users/users";

/**
 * Per-process cache of what authenticating a Subsonic request looks up: the user row and
 * its decrypted password by user name, and the user behind an API key hash. Without it
 * every request paid a database lookup and an AES-GCM decryption before its handler ran,
 * which cost more than the whole Next.js route (issue #18).
 *
 * Safety:
 * - Only lookups are cached, never verdicts: the credential check (md5 of password + salt,
 *   constant-time compare) and the failure throttle (lib/auth/attempt) run on every request
 *   exactly as before, and unknown names or keys are not cached at all.
 * - Every entry is stamped with the generation of the User/ApiKey tables read *before* its
 *   lookup (lib/db/user-generation), and any write through lib/db (password change, user
 *   created, deleted, renamed or given other rights, key created or revoked) moves the
 *   generation, so no entry outlives a change made by this process.
 * - Entries also expire after {@link ENTRY_TTL_MS}, bounding how long a write made
 *   elsewhere (another process on the same database) goes unseen; for API keys the
 *   refresh also records the key's `lastUsedAt` (at most once per TTL instead of on
 *   every request).
 *
 * The decrypted passwords kept here are no new exposure: the encryption key sits in the
 * same process memory, and Subsonic token auth needs the plain password anyway.
 */
export const ENTRY_TTL_MS = 60_000;
/** Entries kept before the cache is emptied (a bound, not an expected size: one entry per user or key in use). */
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  gen: number;
  at: number;
  value: T;
}

interface State {
  users: Map<string, Entry<{ user: UserRow; password: string }>>;
  keys: Map<string, Entry<UserRow>>;
}

const state = remember<State>("credentialCache", () => ({ users: new Map(), keys: new Map() }));

function fresh<T>(e: Entry<T> | undefined, now: number): e is Entry<T> {
  return e !== undefined && e.gen === userTableGeneration() && now - e.at < ENTRY_TTL_MS;
}

function put<T>(map: Map<string, Entry<T>>, key: string, entry: Entry<T>): void {
  if (map.size >= MAX_ENTRIES && !map.has(key)) map.clear();
  map.set(key, entry);
}

/**
 * The user named `userName` (as {@link findUserByName} resolves it: any case) and their
 * plain password, or null when there is no such user.
 */
export async function userCredentials(userName: string, now = Date.now()): Promise<{ user: UserRow; password: string } | null> {
  const hit = state.users.get(userName);
  if (fresh(hit, now)) return hit.value;
  const gen = userTableGeneration();
  const user = await findUserByName(userName);
  if (!user) {
    state.users.delete(userName);
    return null;
  }
  // Frozen: the row is shared by every request until the entry goes, so no handler may change it.
  const value = Object.freeze({ user: Object.freeze(user), password: userPassword(user) });
  put(state.users, userName, { gen, at: now, value });
  return value;
}

/** The user `userName` names (any case), or null; the same cache as {@link userCredentials}. */
export async function userByName(userName: string): Promise<UserRow | null> {
  return (await userCredentials(userName))?.user ?? null;
}

/**
 * The user an API key hash belongs to, or null for an unknown (or revoked) key. A miss or
 * an expired entry goes through {@link useApiKey}, which also marks the key used.
 */
export async function apiKeyUser(keyHash: string, now = Date.now()): Promise<UserRow | null> {
  const hit = state.keys.get(keyHash);
  if (fresh(hit, now)) return hit.value;
  const gen = userTableGeneration();
  const user = await useApiKey(keyHash);
  if (!user) {
    state.keys.delete(keyHash);
    return null;
  }
  put(state.keys, keyHash, { gen, at: now, value: Object.freeze(user) });
  return user;
}

/** Empties the cache (tests; nothing in the server needs it, the generation does the work). */
export function clearCredentialCache(): void {
  state.users.clear();
  state.keys.clear();
}
