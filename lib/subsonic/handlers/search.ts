import "server-only";
import { searchCatalog } from "../../catalog/search";
import { annotationsOf } from "../../db/lists";
import { artistEntry, countParam, lookupFrom, requestLibraryIds } from "../catalog";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";
import { albumChild, albumID3, artistID3, songChild } from "../shapes";

/** Large enough for clients that sync the whole library with an empty query, in pages. */
const MAX_SEARCH = 10_000;
const DEFAULT_COUNT = 20;

async function search(ctx: SubsonicContext) {
  const query = ctx.params.string("query");
  if (query === undefined) throw new SubsonicError(10, "Required parameter 'query' is missing.");
  const libs = await requestLibraryIds(ctx);
  const page = (kind: string) => ({ skip: Math.max(0, ctx.params.int(`${kind}Offset`, 0)), take: countParam(ctx, `${kind}Count`, DEFAULT_COUNT, MAX_SEARCH) });
  const { artists, albums, songs } = await searchCatalog(query, libs, { artist: page("artist"), album: page("album"), song: page("song") });
  const ann = lookupFrom(await annotationsOf(ctx.user.id, { artist: artists.map((a) => a.id), album: albums.map((a) => a.id), track: songs.map((s) => s.id) }));
  return { artists, albums, songs, ann };
}

export const search2: SubsonicHandler = async (ctx) => {
  const { artists, albums, songs, ann } = await search(ctx);
  return { searchResult2: { artist: artists.map((a) => artistEntry(a, ann)), album: albums.map((a) => albumChild(a, ann)), song: songs.map((s) => songChild(s, ann)) } };
};

export const search3: SubsonicHandler = async (ctx) => {
  const { artists, albums, songs, ann } = await search(ctx);
  return { searchResult3: { artist: artists.map((a) => artistID3(a, ann)), album: albums.map((a) => albumID3(a, ann)), song: songs.map((s) => songChild(s, ann)) } };
};
