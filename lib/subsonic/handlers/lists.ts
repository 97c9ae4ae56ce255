import "server-only";
import { albumList, genreCounts, randomSongs, starredItems, type AlbumListQuery } from "../../catalog/lists";
import { annotationsOf, genreTrackPage } from "../../db/lists";
import type { Album } from "../../db/rows";
import { artistEntry, countParam, lookupFrom, requestLibraryIds } from "../catalog";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";
import { albumChild, albumID3, artistID3, songChild } from "../shapes";

const MAX_LIST = 500;

function requiredInt(ctx: SubsonicContext, name: string): number {
  const n = ctx.params.int(name);
  if (n === undefined) throw new SubsonicError(10, `Required parameter '${name}' is missing.`);
  return n;
}

/** The album list a `getAlbumList(2)` `type` asks for (its extra parameters read here). */
function albumListQuery(ctx: SubsonicContext, type: string): AlbumListQuery {
  switch (type) {
    case "random":
      return { by: "random" };
    case "newest":
      return { by: "newest" };
    case "alphabeticalByName":
      return { by: "name" };
    case "alphabeticalByArtist":
      return { by: "artist" };
    case "byYear": {
      const from = requiredInt(ctx, "fromYear");
      const to = requiredInt(ctx, "toYear");
      return from <= to ? { by: "year", lo: from, hi: to, dir: "asc" } : { by: "year", lo: to, hi: from, dir: "desc" };
    }
    case "byGenre":
      return { by: "genre", genre: ctx.params.required("genre") };
    case "starred":
    case "highest":
    case "frequent":
    case "recent":
      return { by: type };
    default:
      throw new SubsonicError(0, `Unknown album list type: ${type}`);
  }
}

/** One page of albums for an `getAlbumList(2)` type. */
async function findAlbumList(ctx: SubsonicContext): Promise<Album[]> {
  const type = ctx.params.required("type");
  const size = Math.max(1, countParam(ctx, "size", 10, MAX_LIST));
  const offset = Math.max(0, ctx.params.int("offset", 0));
  const libs = await requestLibraryIds(ctx);
  return albumList(ctx.user.id, libs, albumListQuery(ctx, type), offset, size);
}

export const getAlbumList: SubsonicHandler = async (ctx) => {
  const albums = await findAlbumList(ctx);
  const ann = lookupFrom(await annotationsOf(ctx.user.id, { album: albums.map((a) => a.id) }));
  return { albumList: { album: albums.map((a) => albumChild(a, ann)) } };
};

export const getAlbumList2: SubsonicHandler = async (ctx) => {
  const albums = await findAlbumList(ctx);
  const ann = lookupFrom(await annotationsOf(ctx.user.id, { album: albums.map((a) => a.id) }));
  return { albumList2: { album: albums.map((a) => albumID3(a, ann)) } };
};

export const getRandomSongs: SubsonicHandler = async (ctx) => {
  const size = countParam(ctx, "size", 10, MAX_LIST);
  const genre = ctx.params.string("genre");
  const fromYear = ctx.params.int("fromYear");
  const toYear = ctx.params.int("toYear");
  const songs = await randomSongs(await requestLibraryIds(ctx), { genre, fromYear, toYear }, size);
  const ann = lookupFrom(await annotationsOf(ctx.user.id, { track: songs.map((s) => s.id) }));
  return { randomSongs: { song: songs.map((s) => songChild(s, ann)) } };
};

export const getSongsByGenre: SubsonicHandler = async (ctx) => {
  const genre = ctx.params.required("genre");
  const songs = await genreTrackPage(genre, await requestLibraryIds(ctx), { skip: Math.max(0, ctx.params.int("offset", 0)), take: countParam(ctx, "count", 10, MAX_LIST) });
  const ann = lookupFrom(await annotationsOf(ctx.user.id, { track: songs.map((s) => s.id) }));
  return { songsByGenre: { song: songs.map((s) => songChild(s, ann)) } };
};

export const getGenres: SubsonicHandler = async (ctx) => ({ genres: { genre: await genreCounts(await requestLibraryIds(ctx)) } });

/** The user's starred artists, albums and songs within the request's libraries, newest star first. */
async function findStarred(ctx: SubsonicContext) {
  const { stars, artists, albums, songs } = await starredItems(ctx.user.id, await requestLibraryIds(ctx));
  return { ann: lookupFrom(stars), artists, albums, songs };
}

export const getStarred: SubsonicHandler = async (ctx) => {
  const { ann, artists, albums, songs } = await findStarred(ctx);
  return { starred: { artist: artists.map((a) => artistEntry(a, ann)), album: albums.map((a) => albumChild(a, ann)), song: songs.map((s) => songChild(s, ann)) } };
};

export const getStarred2: SubsonicHandler = async (ctx) => {
  const { ann, artists, albums, songs } = await findStarred(ctx);
  return { starred2: { artist: artists.map((a) => artistID3(a, ann)), album: albums.map((a) => albumID3(a, ann)), song: songs.map((s) => songChild(s, ann)) } };
};
