import "server-only";
import { matchSongs } from "../../agents/matcher";
import type { SongRef } from "../../agents/plugin-agent";
import { db } from "../../db/client";
import type { MediaFile } from "../../db/generated/prisma/client";
import { pluginManager } from "../../plugins";
import { annotationsFor, libraryIdsFor } from "../access";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";
import type { SubsonicBody } from "../respond";
import { songChild } from "../shapes";

/** The sonic-similarity provider: the first loaded plugin with the capability (contract §3.4). */
export function sonicProvider(): string | null {
  return pluginManager()?.pluginsWith("SonicSimilarity")[0] ?? null;
}

/** The `SongRef` the host sends for a library track. */
export function songRefOf(mf: MediaFile): SongRef {
  const ref: SongRef = { id: mf.id, name: mf.title };
  if (mf.mbzRecordingId) ref.mbid = mf.mbzRecordingId;
  if (mf.isrc) ref.isrc = mf.isrc;
  if (mf.artist) ref.artist = mf.artist;
  if (mf.mbzArtistId) ref.artistMbid = mf.mbzArtistId;
  if (mf.album) ref.album = mf.album;
  if (mf.mbzAlbumId) ref.albumMbid = mf.mbzAlbumId;
  if (mf.duration) ref.duration = Math.fround(mf.duration);
  if (mf.duration) ref.durationMs = Math.trunc(mf.duration * 1000);
  const artists = (JSON.parse(mf.participants) as { id: string; name: string; mbid?: string; role: string }[]).filter((p) => p.role === "artist");
  if (artists.length) ref.artists = artists.map((a) => ({ id: a.id, name: a.name, ...(a.mbid ? { mbid: a.mbid } : {}) }));
  return ref;
}

async function song(ctx: SubsonicContext, param: string, libs: number[]): Promise<MediaFile> {
  const mf = await db().mediaFile.findUnique({ where: { id: ctx.params.required(param) } });
  if (!mf || !libs.includes(mf.libraryId)) throw new SubsonicError(70, "Song not found");
  return mf;
}

/** Runs the provider's export and resolves matches to library songs, keeping order and similarity. */
async function sonic(ctx: SubsonicContext, exportName: string, input: (libs: number[]) => Promise<object>): Promise<Response | SubsonicBody> {
  const provider = sonicProvider();
  if (!provider) return new Response(null, { status: 404 });
  const libs = await libraryIdsFor(ctx.user);
  let out: { matches?: { song?: SongRef; similarity?: number }[] } | undefined;
  try {
    out = await pluginManager()!.call(provider, exportName, await input(libs));
  } catch (err) {
    if (err instanceof SubsonicError) throw err;
    throw new SubsonicError(0, `Internal Server Error: ${(err as Error).message}`);
  }
  const matches = (out?.matches ?? []).filter((m) => m?.song && typeof m.song.name === "string");
  const sonicMatch: { entry: object; similarity: number }[] = [];
  const ann = await annotationsFor(ctx.user, {});
  for (const m of matches) {
    const [hit] = await matchSongs([m.song!], libs, 1);
    if (hit && !sonicMatch.some((x) => (x.entry as { id: string }).id === hit.id)) sonicMatch.push({ entry: songChild(hit, ann), similarity: Number(m.similarity ?? 0) });
  }
  return { sonicMatch };
}

export const getSonicSimilarTracks: SubsonicHandler = async (ctx) =>
  sonic(ctx, "nd_get_sonic_similar_tracks", async (libs) => ({ song: songRefOf(await song(ctx, "id", libs)), count: ctx.params.int("count", 10) }));

export const findSonicPath: SubsonicHandler = async (ctx) =>
  sonic(ctx, "nd_find_sonic_path", async (libs) => ({
    startSong: songRefOf(await song(ctx, "startSongId", libs)),
    endSong: songRefOf(await song(ctx, "endSongId", libs)),
    count: ctx.params.int("count", 25),
  }));
