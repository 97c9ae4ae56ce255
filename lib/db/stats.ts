import "server-only";
import { db } from "./client";

/** Row counts for the home page: libraries, present tracks, albums, artists and plugins. */
export async function serverCounts(): Promise<{ libraries: number; tracks: number; albums: number; artists: number; plugins: number }> {
  const [libraries, tracks, albums, artists, plugins] = await Promise.all([
    db().library.count(),
    db().mediaFile.count({ where: { missing: false } }),
    db().album.count(),
    db().artist.count(),
    db().plugin.count(),
  ]);
  return { libraries, tracks, albums, artists, plugins };
}
