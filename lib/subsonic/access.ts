import "server-only";
import { findAnnotations } from "../db/annotations";
import { allLibraryIds, libraryIdsOfUser } from "../db/libraries";
import type { User } from "../db/rows";
import type { AnnotationLookup } from "./shapes";

/**
 * The libraries a user may browse: admins and users with "all libraries" see every library
 * (including ones added later), other users those assigned to them (as Navidrome). Every
 * catalog query filters by this list.
 */
export async function libraryIdsFor(user: User): Promise<number[]> {
  return user.isAdmin || user.allLibraries ? allLibraryIds() : libraryIdsOfUser(user.id);
}

/** Loads the user's annotations for the given items once, for the shape mappers. */
export async function annotationsFor(user: User, items: { track?: string[]; album?: string[]; artist?: string[] }): Promise<AnnotationLookup> {
  const rows = await findAnnotations(user.id, items);
  const map = new Map(rows.map((r) => [`${r.itemType}:${r.itemId}`, r]));
  return (type, id) => map.get(`${type}:${id}`);
}
