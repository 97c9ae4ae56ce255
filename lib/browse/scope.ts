import "server-only";
import type { User } from "../db/rows";
import { annotationsFor, libraryIdsFor } from "../subsonic/access";

/**
 * Who is browsing: the user and the libraries they may see. The library list comes from the
 * same function the Subsonic API uses (lib/subsonic/access), so the listener pages and every
 * Subsonic client always agree on what a user may see.
 */
export interface Viewer {
  user: User;
  libraryIds: number[];
}

export async function viewerOf(user: User): Promise<Viewer> {
  return { user, libraryIds: await libraryIdsFor(user) };
}

export { annotationsFor };
