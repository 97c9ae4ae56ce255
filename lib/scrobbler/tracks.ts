import "server-only";
import { db } from "../db/client";
import type { MediaFile, User } from "../db/generated/prisma/client";
import { AppError } from "../errors";

/** A track the user may see (admins see every library), or NOT_FOUND. */
export async function getTrackForUserOrThrow(user: Pick<User, "id" | "isAdmin">, id: string): Promise<MediaFile> {
  const track = await db().mediaFile.findUnique({ where: { id } });
  const visible = track && (user.isAdmin || (await db().userLibrary.findUnique({ where: { userId_libraryId: { userId: user.id, libraryId: track.libraryId } } })));
  if (!track || !visible) throw new AppError("NOT_FOUND", `ID "${id}" not found`);
  return track;
}
