import "server-only";
import { db } from "../../db/client";
import type { Album, Prisma } from "../../db/generated/prisma/client";
import { orderName } from "../../scanner/scanner";
import { annotationsFor } from "../access";
import { artistEntry, artistScope, countParam, inOrder, lookupFrom, pickRandom, requestLibraryIds, visibleArtistIds } from "../catalog";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";
import { albumChild, albumID3, artistID3, songChild } from "../shapes";

const MAX_LIST = 500;

/**
 * Matches rows whose JSON genre list holds `genre`. SQLite LIKE: ASCII case-insensitive,
 * and a `%` or `_` in the name matches any characters (Prisma does not escape them).
 */
const hasGenre = (genre: string) => ({ genres: { contains: JSON.stringify(genre) } });

function requiredInt(ctx: SubsonicContext, name: string): number {
  const n = ctx.params.int(name);
  if (n === undefined) throw new SubsonicError(10, `Required parameter '${name}' is missing.`);
  return n;
}

/** Album ids ordered by the user's annotations (stars, ratings, plays). */
async function annotatedAlbumIds(ctx: SubsonicContext, where: Prisma.AnnotationWhereInput, orderBy: Prisma.AnnotationOrderByWithRelationInput[]) {
  const rows = await db().annotation.findMany({ where: { userId: ctx.user.id, itemType: "album", ...where }, orderBy, select: { itemId: true } });
  return rows.map((r) => r.itemId);
}

/** One page of albums for an `getAlbumList(2)` type. */
async function findAlbumList(ctx: SubsonicContext): Promise<Album[]> {
  const type = ctx.params.required("type");
  const size = Math.max(1, countParam(ctx, "size", 10, MAX_LIST));
  const offset = Math.max(0, ctx.params.int("offset", 0));
  const scope: Prisma.AlbumWhereInput = { libraryId: { in: await requestLibraryIds(ctx) } };
  const page = (where: Prisma.AlbumWhereInput, orderBy: Prisma.AlbumOrderByWithRelationInput[]) =>
    db().album.findMany({ where: { ...scope, ...where }, orderBy: [...orderBy, { id: "asc" }], skip: offset, take: size });
  const byIds = async (ids: string[]) => {
    const visible = new Set((await db().album.findMany({ where: { ...scope, id: { in: ids } }, select: { id: true } })).map((a) => a.id));
    const pageIds = ids.filter((id) => visible.has(id)).slice(offset, offset + size);
    return inOrder(pageIds, await db().album.findMany({ where: { id: { in: pageIds } } }));
  };

  switch (type) {
    case "random": {
      const ids = (await db().album.findMany({ where: scope, select: { id: true } })).map((a) => a.id);
      const picked = pickRandom(ids, size);
      return inOrder(picked, await db().album.findMany({ where: { id: { in: picked } } }));
    }
    case "newest":
      return page({}, [{ createdAt: "desc" }, { orderName: "asc" }]);
    case "alphabeticalByName":
      return page({}, [{ orderName: "asc" }]);
    case "alphabeticalByArtist": {
      const rows = await db().album.findMany({ where: scope, select: { id: true, albumArtist: true, orderName: true } });
      const key = (r: (typeof rows)[number]) => `${orderName(r.albumArtist)}\u0000${r.orderName}\u0000${r.id}`;
      return byIds(rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map((r) => r.id));
    }
    case "byYear": {
      const from = requiredInt(ctx, "fromYear");
      const to = requiredInt(ctx, "toYear");
      const [lo, hi] = from <= to ? [from, to] : [to, from];
      const dir = from <= to ? "asc" : "desc";
      return page({ maxYear: { gte: lo, not: 0 }, minYear: { lte: hi } }, [{ maxYear: dir }, { orderName: "asc" }]);
    }
    case "byGenre":
      return page(hasGenre(ctx.params.required("genre")), [{ orderName: "asc" }]);
    case "starred":
      return byIds(await annotatedAlbumIds(ctx, { starred: true }, [{ starredAt: "desc" }]));
    case "highest":
      return byIds(await annotatedAlbumIds(ctx, { rating: { gt: 0 } }, [{ rating: "desc" }, { itemId: "asc" }]));
    case "frequent":
      return byIds(await annotatedAlbumIds(ctx, { playCount: { gt: 0 } }, [{ playCount: "desc" }, { itemId: "asc" }]));
    case "recent":
      return byIds(await annotatedAlbumIds(ctx, { playDate: { not: null } }, [{ playDate: "desc" }]));
    default:
      throw new SubsonicError(0, `Unknown album list type: ${type}`);
  }
}

export const getAlbumList: SubsonicHandler = async (ctx) => {
  const albums = await findAlbumList(ctx);
  const ann = await annotationsFor(ctx.user, { album: albums.map((a) => a.id) });
  return { albumList: { album: albums.map((a) => albumChild(a, ann)) } };
};

export const getAlbumList2: SubsonicHandler = async (ctx) => {
  const albums = await findAlbumList(ctx);
  const ann = await annotationsFor(ctx.user, { album: albums.map((a) => a.id) });
  return { albumList2: { album: albums.map((a) => albumID3(a, ann)) } };
};

export const getRandomSongs: SubsonicHandler = async (ctx) => {
  const size = countParam(ctx, "size", 10, MAX_LIST);
  const genre = ctx.params.string("genre");
  const fromYear = ctx.params.int("fromYear");
  const toYear = ctx.params.int("toYear");
  const where: Prisma.MediaFileWhereInput = {
    libraryId: { in: await requestLibraryIds(ctx) },
    ...(genre ? hasGenre(genre) : {}),
    ...(fromYear !== undefined || toYear !== undefined ? { year: { gte: fromYear, lte: toYear } } : {}),
  };
  const ids = pickRandom((await db().mediaFile.findMany({ where, select: { id: true } })).map((m) => m.id), size);
  const songs = inOrder(ids, await db().mediaFile.findMany({ where: { id: { in: ids } } }));
  const ann = await annotationsFor(ctx.user, { track: ids });
  return { randomSongs: { song: songs.map((s) => songChild(s, ann)) } };
};

export const getSongsByGenre: SubsonicHandler = async (ctx) => {
  const genre = ctx.params.required("genre");
  const songs = await db().mediaFile.findMany({
    where: { libraryId: { in: await requestLibraryIds(ctx) }, ...hasGenre(genre) },
    orderBy: [{ album: "asc" }, { discNumber: "asc" }, { trackNumber: "asc" }, { id: "asc" }],
    skip: Math.max(0, ctx.params.int("offset", 0)),
    take: countParam(ctx, "count", 10, MAX_LIST),
  });
  const ann = await annotationsFor(ctx.user, { track: songs.map((s) => s.id) });
  return { songsByGenre: { song: songs.map((s) => songChild(s, ann)) } };
};

export const getGenres: SubsonicHandler = async (ctx) => {
  const rows = await db().mediaFile.findMany({ where: { libraryId: { in: await requestLibraryIds(ctx) } }, select: { genres: true, albumId: true } });
  const acc = new Map<string, { songs: number; albums: Set<string> }>();
  for (const r of rows) {
    for (const g of JSON.parse(r.genres) as string[]) {
      const e = acc.get(g) ?? { songs: 0, albums: new Set<string>() };
      e.songs++;
      e.albums.add(r.albumId);
      acc.set(g, e);
    }
  }
  const genre = [...acc.entries()]
    .sort(([a], [b]) => a.localeCompare(b, undefined, { sensitivity: "base" }))
    .map(([value, e]) => ({ value, songCount: e.songs, albumCount: e.albums.size }));
  return { genres: { genre } };
};

/** The user's starred artists, albums and songs within the request's libraries, newest star first. */
async function findStarred(ctx: SubsonicContext) {
  const libs = await requestLibraryIds(ctx);
  const stars = await db().annotation.findMany({ where: { userId: ctx.user.id, starred: true }, orderBy: [{ starredAt: "desc" }, { itemId: "asc" }] });
  const ids = (type: string) => stars.filter((s) => s.itemType === type).map((s) => s.itemId);
  const [artists, albums, songs] = await Promise.all([
    db().artist.findMany({ where: { AND: [{ id: { in: ids("artist") } }, artistScope(await visibleArtistIds(libs))] } }),
    db().album.findMany({ where: { id: { in: ids("album") }, libraryId: { in: libs } } }),
    db().mediaFile.findMany({ where: { id: { in: ids("track") }, libraryId: { in: libs } } }),
  ]);
  return {
    ann: lookupFrom(stars),
    artists: inOrder(ids("artist"), artists),
    albums: inOrder(ids("album"), albums),
    songs: inOrder(ids("track"), songs),
  };
}

export const getStarred: SubsonicHandler = async (ctx) => {
  const { ann, artists, albums, songs } = await findStarred(ctx);
  return { starred: { artist: artists.map((a) => artistEntry(a, ann)), album: albums.map((a) => albumChild(a, ann)), song: songs.map((s) => songChild(s, ann)) } };
};

export const getStarred2: SubsonicHandler = async (ctx) => {
  const { ann, artists, albums, songs } = await findStarred(ctx);
  return { starred2: { artist: artists.map((a) => artistID3(a, ann)), album: albums.map((a) => albumID3(a, ann)), song: songs.map((s) => songChild(s, ann)) } };
};
