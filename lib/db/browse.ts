import "server-only";
import { db } from "./client";
import type { MediaFile } from "./generated/prisma/client";

/** Catalog reads only the listener pages need (lib/browse); the shared ones live in catalog.ts. */

/** The tracks of these albums, album by album in the order given, each in disc and track order. */
export async function tracksOfAlbums(albumIds: string[]): Promise<MediaFile[]> {
  if (!albumIds.length) return [];
  const rows = await db().mediaFile.findMany({ where: { albumId: { in: albumIds } }, orderBy: [{ discNumber: "asc" }, { trackNumber: "asc" }, { title: "asc" }, { id: "asc" }] });
  const rank = new Map(albumIds.map((id, i) => [id, i]));
  // A stable sort keeps the disc/track order inside each album.
  return rows.sort((a, b) => rank.get(a.albumId)! - rank.get(b.albumId)!);
}

/** How many albums these libraries hold. */
export async function countAlbumsIn(libraryIds: number[]): Promise<number> {
  return libraryIds.length ? db().album.count({ where: { libraryId: { in: libraryIds } } }) : 0;
}
