import "server-only";
import { randomUUID, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { decryptSecret, encryptSecret } from "../auth/secrets";
import type { Library, User as UserRow } from "../db/rows";
import { allLibraryIds, findLibrariesByIds, libraryIdsOfUser } from "../db/libraries";
import * as users from "../db/users";
import { MAX_BIT_RATE_SETTING } from "../media/transcode/bit-rate-limits";
import { remember } from "../server/remember";
import { AppError } from "../errors";

/** A user as the API and UI see it: never the password. */
export interface PublicUser {
  id: string;
  userName: string;
  name: string;
  email: string;
  isAdmin: boolean;
  /** Browses every library, including ones added later (admins always do). */
  allLibraries: boolean;
  /** Stream cap in kbps for all the user's players (0 = none); set by an admin. */
  maxBitRate: number;
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
    allLibraries: u.allLibraries,
    maxBitRate: u.maxBitRate,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    lastAccessAt: u.lastAccessAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

/** A user as the admin API answers it: with the assigned libraries (Navidrome's request name `libraryIds`). */
export interface UserView extends PublicUser {
  /** The assigned libraries; in effect only while `allLibraries` is off (and for non-admins). */
  libraryIds: number[];
}

/** The API view of these rows (one query for all their libraries). */
export async function userViews(rows: UserRow[]): Promise<UserView[]> {
  const libs = await users.assignedLibraryIds(rows.map((u) => u.id));
  return rows.map((u) => ({ ...toPublicUser(u), libraryIds: libs.get(u.id) ?? [] }));
}

export async function userView(u: UserRow): Promise<UserView> {
  return (await userViews([u]))[0];
}

const userFields = {
  userName: z.string().trim().min(1, "required").max(64).regex(/^[^\s:/\\]+$/, "must not contain spaces, ':', '/' or '\\'"),
  name: z.string().trim().max(128),
  email: z.union([z.literal(""), z.email("must be a valid e-mail address")]),
  password: z.string().min(1, "required").max(256),
  isAdmin: z.boolean(),
  allLibraries: z.boolean(),
  libraryIds: z.array(z.number().int().positive()).max(10_000).transform((ids) => [...new Set(ids)]),
  maxBitRate: z.number().int("must be a whole number of kbps").min(0).max(MAX_BIT_RATE_SETTING),
};

/**
 * A new user. Here `allLibraries` defaults to off (only `libraryIds`), so code that creates
 * users grants libraries explicitly; the admin API and form default to all libraries
 * ({@link NewUserRequestSchema}).
 */
export const NewUserSchema = z.object({
  ...userFields,
  name: userFields.name.default(""),
  email: userFields.email.default(""),
  isAdmin: userFields.isAdmin.default(false),
  allLibraries: userFields.allLibraries.default(false),
  libraryIds: userFields.libraryIds.default([]),
  maxBitRate: userFields.maxBitRate.default(0),
});
export type NewUser = z.input<typeof NewUserSchema>;

/** POST /api/user: as {@link NewUserSchema}, but a user created by an admin sees every library unless told otherwise. */
export const NewUserRequestSchema = NewUserSchema.extend({ allLibraries: userFields.allLibraries.default(true) });

/** PUT /api/user/:id: patch semantics, so a field left out keeps its value (no defaults here). */
export const UserPatchSchema = z.object(userFields).partial();
export type UserPatch = z.input<typeof UserPatchSchema>;

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === "P2002";
}

export async function countUsers(): Promise<number> {
  return users.countUsers();
}

export async function listUsers(): Promise<UserView[]> {
  return userViews(await users.listUserRows());
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

/** The libraries a user may browse (every one for admins and "all libraries"), by id. */
export async function librariesOfUser(id: string): Promise<Library[]> {
  const u = await getUserOrThrow(id);
  return findLibrariesByIds(u.isAdmin ? await allLibraryIds() : await libraryIdsOfUser(u.id));
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

/** Refuses library ids that name no library (a typo would otherwise silently grant nothing). */
async function assertLibrariesExist(ids: number[] | undefined): Promise<void> {
  if (!ids?.length) return;
  const found = new Set((await findLibrariesByIds(ids)).map((l) => l.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new AppError("INVALID_INPUT", `no such library: ${missing.join(", ")}`, { fields: { libraryIds: `no such library: ${missing.join(", ")}` } });
}

export async function createUser(input: NewUser): Promise<UserView> {
  const { libraryIds, ...data } = NewUserSchema.parse(input);
  if (await findUserByName(data.userName)) throw new AppError("CONFLICT", "user name already exists", { fields: { userName: "already exists" } });
  await assertLibrariesExist(libraryIds);
  try {
    const u = await users.insertUser({ id: randomUUID(), ...data, password: encryptSecret(data.password) }, libraryIds);
    return userView(u);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "user name already exists", { fields: { userName: "already exists" } });
    throw err;
  }
}

/** Creates the first admin; refuses once any user exists (first-run page and POST /auth/createAdmin). */
export async function createFirstAdmin(input: { userName: string; password: string; name?: string }): Promise<PublicUser> {
  const u = await users.insertFirstUser(() => {
    const { libraryIds: _none, ...data } = NewUserSchema.parse({ ...input, isAdmin: true, allLibraries: true });
    return { id: randomUUID(), ...data, password: encryptSecret(data.password) };
  });
  if (!u) throw new AppError("FORBIDDEN", "an admin user already exists");
  return toPublicUser(u);
}

export async function updateUser(id: string, patch: UserPatch, actor: { id: string }): Promise<UserView> {
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
  await assertLibrariesExist(data.libraryIds);
  const { password, libraryIds, ...rest } = data;
  try {
    const u = await users.updateUserRow(id, { ...rest, ...(password ? { password: encryptSecret(password) } : {}) }, libraryIds);
    return userView(u);
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
