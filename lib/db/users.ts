import "server-only";
import { db } from "./client";
import type { User } from "./generated/prisma/client";
import { changingUsers } from "./user-generation";

/** The `User` table. Passwords arrive here already encrypted (lib/auth/secrets). */

/** The stored fields of a new user. */
export interface UserData {
  id: string;
  userName: string;
  name: string;
  email: string;
  /** Encrypted password. */
  password: string;
  isAdmin: boolean;
  /** Every library, including ones added later (default: only the assigned ones). */
  allLibraries?: boolean;
  /** Stream cap in kbps (0 = none). */
  maxBitRate?: number;
}

/** Fields a user update may set; `password` is encrypted and, when set, bumps `tokenGeneration`. */
export interface UserRowPatch {
  userName?: string;
  name?: string;
  email?: string;
  password?: string;
  isAdmin?: boolean;
  allLibraries?: boolean;
  maxBitRate?: number;
}

export async function countUsers(): Promise<number> {
  return db().user.count();
}

export async function countAdmins(): Promise<number> {
  return db().user.count({ where: { isAdmin: true } });
}

/** Every user, by user name. */
export async function listUserRows(): Promise<User[]> {
  return db().user.findMany({ orderBy: { userName: "asc" } });
}

export async function findUserById(id: string): Promise<User | null> {
  return db().user.findUnique({ where: { id } });
}

/** The user with exactly this name (case-sensitive). */
export async function findUserByExactName(userName: string): Promise<User | null> {
  return db().user.findUnique({ where: { userName } });
}

/** Users whose name contains this text (ASCII case-insensitive, as SQLite LIKE). */
export async function findUsersNameContaining(text: string): Promise<User[]> {
  return db().user.findMany({ where: { userName: { contains: text } } });
}

/** Creates a user; `libraryIds` are the assigned libraries (kept for when "all libraries" is off). */
export async function insertUser(data: UserData, libraryIds: number[] = []): Promise<User> {
  return changingUsers(() => db().user.create({ data: { ...data, libraries: { create: libraryIds.map((libraryId) => ({ libraryId })) } } }));
}

/**
 * Creates a user only while the table is empty (in one transaction, so two first-run
 * requests cannot both succeed); null when a user exists. `make` runs inside the
 * transaction, and what it throws aborts it.
 */
export async function insertFirstUser(make: () => UserData): Promise<User | null> {
  return changingUsers(() =>
    db().$transaction(async (tx) => {
      if ((await tx.user.count()) > 0) return null;
      return tx.user.create({ data: make() });
    }),
  );
}

/**
 * Updates a user; a new password also bumps `tokenGeneration`, revoking the user's tokens.
 * `libraryIds`, when given, replaces the assigned libraries (in the same transaction).
 */
export async function updateUserRow(id: string, patch: UserRowPatch, libraryIds?: number[]): Promise<User> {
  const { password, ...rest } = patch;
  const libraries = libraryIds ? { libraries: { deleteMany: {}, create: libraryIds.map((libraryId) => ({ libraryId })) } } : {};
  return changingUsers(() => db().user.update({ where: { id }, data: { ...rest, ...libraries, ...(password ? { password, tokenGeneration: { increment: 1 } } : {}) } }));
}

/** The libraries assigned to each of these users (ascending ids), by user id. */
export async function assignedLibraryIds(userIds: string[]): Promise<Map<string, number[]>> {
  const rows = await db().userLibrary.findMany({ where: { userId: { in: userIds } }, orderBy: { libraryId: "asc" } });
  const map = new Map<string, number[]>(userIds.map((id) => [id, []]));
  for (const r of rows) map.get(r.userId)?.push(r.libraryId);
  return map;
}

export async function deleteUserRow(id: string): Promise<void> {
  await changingUsers(() => db().user.delete({ where: { id } }));
}

/** Records a successful sign-in and answers the updated row. */
export async function recordLogin(id: string): Promise<User> {
  return changingUsers(() => db().user.update({ where: { id }, data: { lastLoginAt: new Date() } }));
}

/** A user's id and name, or null when there is no such user. */
export async function findUserName(id: string): Promise<{ id: string; userName: string } | null> {
  return db().user.findUnique({ where: { id }, select: { id: true, userName: true } });
}
