import "server-only";
import { findTrack } from "../db/catalog";
import { userHasLibrary } from "../db/libraries";
import type { MediaFile, User } from "../db/rows";
import { AppError } from "../errors";

/** A track the user may see (admins see every library), or NOT_FOUND. */
export async function getTrackForUserOrThrow(user: Pick<User, "id" | "isAdmin">, id: string): Promise<MediaFile> {
  const track = await findTrack(id);
  const visible = track && (user.isAdmin || (await userHasLibrary(user.id, track.libraryId)));
  if (!track || !visible) throw new AppError("NOT_FOUND", `ID "${id}" not found`);
  return track;
}
