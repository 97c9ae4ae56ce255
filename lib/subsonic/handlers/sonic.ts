import "server-only";
import { visibleTrack } from "../../catalog/visibility";
import type { MediaFile } from "../../db/rows";
import { resolveSonicMatches, songRefOf, sonicProvider, type SonicMatch, type SonicSimilarityProvider } from "../../sonic/sonic";
import { annotationsFor, libraryIdsFor } from "../access";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";
import type { SubsonicBody } from "../respond";
import { songChild } from "../shapes";

async function song(ctx: SubsonicContext, param: string, libs: number[]): Promise<MediaFile> {
  const mf = await visibleTrack(ctx.params.required(param), libs);
  if (!mf) throw new SubsonicError(70, "Song not found");
  return mf;
}

/** Asks the provider and resolves its matches to library songs, keeping order and similarity; 404 without a provider. */
async function sonic(ctx: SubsonicContext, ask: (provider: SonicSimilarityProvider, libs: number[]) => Promise<SonicMatch[]>): Promise<Response | SubsonicBody> {
  const provider = sonicProvider();
  if (!provider) return new Response(null, { status: 404 });
  const libs = await libraryIdsFor(ctx.user);
  let matches: SonicMatch[];
  try {
    matches = await ask(provider, libs);
  } catch (err) {
    if (err instanceof SubsonicError) throw err;
    throw new SubsonicError(0, `Internal Server Error: ${(err as Error).message}`);
  }
  const ann = await annotationsFor(ctx.user, {});
  const hits = await resolveSonicMatches(matches, libs);
  return { sonicMatch: hits.map((h) => ({ entry: songChild(h.track, ann), similarity: h.similarity })) };
}

export const getSonicSimilarTracks: SubsonicHandler = async (ctx) =>
  sonic(ctx, async (provider, libs) => provider.similarTracks(songRefOf(await song(ctx, "id", libs)), ctx.params.int("count", 10)));

export const findSonicPath: SubsonicHandler = async (ctx) =>
  sonic(ctx, async (provider, libs) => provider.findPath(songRefOf(await song(ctx, "startSongId", libs)), songRefOf(await song(ctx, "endSongId", libs)), ctx.params.int("count", 25)));
