import "server-only";
import { randomUUID, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { decryptSecret, encryptSecret } from "../auth/secrets";
import type { User as UserRow } from "../db/rows";
import * as users from "../db/users";
import { remember } from "../server/remember";
import { AppError } from "../errors";

/** A user as the API and UI see it: never the password. */
export interface PublicUser {
  id: string;
  userName: string;
  name: string;
  email: string;
  isAdmin: boolean;
  lastLoginAt: string | null;
  lastAccessAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toPublicUser(u: UserRow): PublicUser {
  return {
    id: u.id,
    userName: u.userName,
    name: u.name,
    email: u.email,
    isAdmin: u.isAdmin,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    lastAccessAt: u.lastAccessAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

const userFields = {
  userName: z.string().trim().min(1, "required").max(64).regex(/^[^\s:/\\]+$/, "must not contain spaces, ':', '/' or '\\'"),
  name: z.string().trim().max(128),
  email: z.union([z.literal(""), z.email("must be a valid e-mail address")]),
  password: z.string().min(1, "required").max(256),
  isAdmin: z.boolean(),
};

export const NewUserSchema = z.object({ ...userFields, name: userFields.name.default(""), email: userFields.email.default(""), isAdmin: userFields.isAdmin.default(false) });
export type NewUser = z.input<typeof NewUserSchema>;

/** PUT /api/user/:id: patch semantics, so a field left out keeps its value (no defaults here). */
export const UserPatchSchema = z.object(userFields).partial();
export type UserPatch = z.input<typeof UserPatchSchema>;

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === "P2002";
}

export async function countUsers(): Promise<number> {
  return users.countUsers();
}

export async function listUsers(): Promise<PublicUser[]> {
  return (await users.listUserRows()).map(toPublicUser);
}

/** Every user's stored row, by user name (for the Subsonic user list). */
export async function listUserRows(): Promise<UserRow[]> {
  return users.listUserRows();
}

export async function getUserOrThrow(id: string): Promise<UserRow> {
  const u = await users.findUserById(id);
  if (!u) throw new AppError("NOT_FOUND", "user not found");
  return u;
}

export async function findUserByName(userName: string): Promise<UserRow | null> {
  // Subsonic clients and scripts send user names in any case; names are unique case-insensitively.
  const exact = await users.findUserByExactName(userName);
  if (exact) return exact;
  const all = await users.findUsersNameContaining(userName);
  return all.find((u) => u.userName.toLowerCase() === userName.toLowerCase()) ?? null;
}

export function userPassword(u: UserRow): string {
  return decryptSecret(u.password);
}

export function passwordMatches(u: UserRow, candidate: string): boolean {
  const a = Buffer.from(userPassword(u));
  const b = Buffer.from(candidate);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function createUser(input: NewUser): Promise<PublicUser> {
  const data = NewUserSchema.parse(input);
  if (await findUserByName(data.userName)) throw new AppError("CONFLICT", "user name already exists", { fields: { userName: "already exists" } });
  try {
    const u = await users.insertUser({ id: randomUUID(), ...data, password: encryptSecret(data.password) });
    return toPublicUser(u);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "user name already exists", { fields: { userName: "already exists" } });
    throw err;
  }
}

/** Creates the first admin; refuses once any user exists (first-run page and POST /auth/createAdmin). */
export async function createFirstAdmin(input: { userName: string; password: string; name?: string }): Promise<PublicUser> {
  const u = await users.insertFirstUser(() => {
    const data = NewUserSchema.parse({ ...input, isAdmin: true });
    return { id: randomUUID(), ...data, password: encryptSecret(data.password) };
  });
  if (!u) throw new AppError("FORBIDDEN", "an admin user already exists");
  return toPublicUser(u);
}

export async function updateUser(id: string, patch: UserPatch, actor: { id: string }): Promise<PublicUser> {
  const data = UserPatchSchema.parse(patch);
  const current = await getUserOrThrow(id);
  if (data.isAdmin === false && current.isAdmin) {
    if (id === actor.id) throw new AppError("FORBIDDEN", "you cannot remove your own admin rights", { fields: { isAdmin: "cannot remove your own admin rights" } });
    if ((await users.countAdmins()) <= 1) throw new AppError("FORBIDDEN", "the last admin cannot lose admin rights");
  }
  if (data.userName && data.userName.toLowerCase() !== current.userName.toLowerCase()) {
    const other = await findUserByName(data.userName);
    if (other && other.id !== id) throw new AppError("CONFLICT", "user name already exists", { fields: { userName: "already exists" } });
  }
  const { password, ...rest } = data;
  try {
    const u = await users.updateUserRow(id, { ...rest, ...(password ? { password: encryptSecret(password) } : {}) });
    return toPublicUser(u);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "user name already exists", { fields: { userName: "already exists" } });
    throw err;
  }
}

/**
 * Hooks run after a user is deleted (e.g. plugin user assignments, contract §5.8). Kept
 * on globalThis: boot registers them from instrumentation, while route handlers are a
 * separate module instance in Next.js.
 */
const deletionHooks = remember("userDeletionHooks", () => [] as ((userId: string) => Promise<void>)[]);
export function onUserDeleted(hook: (userId: string) => Promise<void>): void {
  deletionHooks.push(hook);
}

export async function deleteUser(id: string, actor: { id: string }): Promise<void> {
  if (id === actor.id) throw new AppError("FORBIDDEN", "you cannot delete your own user");
  const u = await getUserOrThrow(id);
  if (u.isAdmin && (await users.countAdmins()) <= 1) throw new AppError("FORBIDDEN", "the last admin cannot be deleted");
  await users.deleteUserRow(id);
  for (const hook of deletionHooks) await hook(id);
}

/** `ND_DEVAUTOCREATEADMINPASSWORD`: creates `admin` when the database has no users. */
export async function ensureDevAdmin(password: string): Promise<PublicUser | null> {
  if (!password || (await countUsers()) > 0) return null;
  return createFirstAdmin({ userName: "admin", password, name: "Admin" });
}
