import "server-only";
import { db } from "../db/client";
import type { Annotation, User } from "../db/generated/prisma/client";
import type { AnnotationLookup } from "./shapes";

/**
 * The libraries a user may browse: admins see every library, other users those assigned
 * to them (as Navidrome). Every catalog query filters by this list.
 */
export async function libraryIdsFor(user: User): Promise<number[]> {
  if (user.isAdmin) return (await db().library.findMany({ select: { id: true } })).map((l) => l.id);
  return (await db().userLibrary.findMany({ where: { userId: user.id }, select: { libraryId: true } })).map((l) => l.libraryId);
}

/** Loads the user's annotations for the given items once, for the shape mappers. */
export async function annotationsFor(user: User, items: { track?: string[]; album?: string[]; artist?: string[] }): Promise<AnnotationLookup> {
  const ors = (Object.entries(items) as [string, string[] | undefined][])
    .filter(([, ids]) => ids && ids.length)
    .map(([itemType, ids]) => ({ itemType, itemId: { in: ids! } }));
  const rows: Annotation[] = ors.length ? await db().annotation.findMany({ where: { userId: user.id, OR: ors } }) : [];
  const map = new Map(rows.map((r) => [`${r.itemType}:${r.itemId}`, r]));
  return (type, id) => map.get(`${type}:${id}`);
}
