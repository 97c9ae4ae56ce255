import "server-only";
import { db } from "../../db/client";
import type { Prisma } from "../../db/generated/prisma/client";
import { annotationsFor } from "../access";
import { artistEntry, artistScope, countParam, requestLibraryIds, visibleArtistIds } from "../catalog";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";
import { albumChild, albumID3, artistID3, songChild } from "../shapes";

/** Large enough for clients that sync the whole library with an empty query, in pages. */
const MAX_SEARCH = 10_000;
const DEFAULT_COUNT = 20;

/**
 * The words of a query. Clients send `""` (or nothing, or `*`) to list everything for
 * offline sync; Lucene-style quotes and `*` are dropped. `%` and `_` separate words too:
 * Prisma sends `contains` to SQLite as LIKE without an escape character.
 */
export function queryWords(query: string): string[] {
  return query
    .replace(/["*%_]/g, " ")
    .split(/\s+/)
    .filter(Boolean);
}

/** Every word must appear, as a substring, in one of the fields (case-insensitive for ASCII, as SQLite LIKE). */
function matchAll<W>(words: string[], fields: string[]): W {
  return { AND: words.map((w) => ({ OR: fields.map((f) => ({ [f]: { contains: w } })) })) } as W;
}

async function searchCatalog(ctx: SubsonicContext) {
  const query = ctx.params.string("query");
  if (query === undefined) throw new SubsonicError(10, "Required parameter 'query' is missing.");
  const words = queryWords(query);
  const libs = await requestLibraryIds(ctx);
  const page = (kind: string) => ({ skip: Math.max(0, ctx.params.int(`${kind}Offset`, 0)), take: countParam(ctx, `${kind}Count`, DEFAULT_COUNT, MAX_SEARCH) });
  const [ap, alp, sp] = [page("artist"), page("album"), page("song")];

  const [artists, albums, songs] = await Promise.all([
    ap.take
      ? visibleArtistIds(libs).then((visible) =>
          db().artist.findMany({
            where: { AND: [artistScope(visible), matchAll<Prisma.ArtistWhereInput>(words, ["name"])] },
            orderBy: [{ orderName: "asc" }, { id: "asc" }],
            ...ap,
          }),
        )
      : [],
    alp.take
      ? db().album.findMany({
          where: { libraryId: { in: libs }, ...matchAll<Prisma.AlbumWhereInput>(words, ["name", "albumArtist"]) },
          orderBy: [{ orderName: "asc" }, { id: "asc" }],
          ...alp,
        })
      : [],
    sp.take
      ? db().mediaFile.findMany({
          where: { libraryId: { in: libs }, ...matchAll<Prisma.MediaFileWhereInput>(words, ["title", "artist", "album"]) },
          orderBy: [{ title: "asc" }, { id: "asc" }],
          ...sp,
        })
      : [],
  ]);
  const ann = await annotationsFor(ctx.user, { artist: artists.map((a) => a.id), album: albums.map((a) => a.id), track: songs.map((s) => s.id) });
  return { artists, albums, songs, ann };
}

export const search2: SubsonicHandler = async (ctx) => {
  const { artists, albums, songs, ann } = await searchCatalog(ctx);
  return { searchResult2: { artist: artists.map((a) => artistEntry(a, ann)), album: albums.map((a) => albumChild(a, ann)), song: songs.map((s) => songChild(s, ann)) } };
};

export const search3: SubsonicHandler = async (ctx) => {
  const { artists, albums, songs, ann } = await searchCatalog(ctx);
  return { searchResult3: { artist: artists.map((a) => artistID3(a, ann)), album: albums.map((a) => albumID3(a, ann)), song: songs.map((s) => songChild(s, ann)) } };
};
