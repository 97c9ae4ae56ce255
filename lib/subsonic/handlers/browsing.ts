import "server-only";
import { cachedIndexDocument } from "../../catalog/artist-index-cache";
import { artistWithAlbums, indexArtistSummaries, visibleAlbum, visibleTrack } from "../../catalog/visibility";
import { tracksOfAlbum } from "../../db/catalog";
import { findLibrariesByIds, lastScanOf } from "../../db/libraries";
import { annotationsOf, type IndexArtist } from "../../db/lists";
import { libraryIdsFor } from "../access";
import { lookupFrom } from "../catalog";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";
import { chooseFormat, renderDocument, respondWith, type SubsonicBody } from "../respond";
import { albumChild, albumID3, artistID3, songChild } from "../shapes";

const IGNORED_ARTICLES = "The El La Los Las Le Les Os As O A";

/** The libraries to browse: the user's, narrowed by `musicFolderId` when given. */
async function scope(ctx: SubsonicContext): Promise<number[]> {
  const mine = await libraryIdsFor(ctx.user);
  const wanted = ctx.params.all("musicFolderId").map(Number).filter(Number.isSafeInteger);
  return wanted.length ? mine.filter((id) => wanted.includes(id)) : mine;
}

function indexLetter(a: IndexArtist): string {
  const c = (a.orderName || a.name).charAt(0).toUpperCase();
  return /\p{L}/u.test(c) ? c.normalize("NFD").charAt(0) : "#";
}

function groupByLetter<T>(artists: IndexArtist[], map: (a: IndexArtist) => T): { name: string; artist: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const a of artists) {
    const k = indexLetter(a);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(map(a));
  }
  return [...groups.entries()].sort(([x], [y]) => (x === "#" ? 1 : y === "#" ? -1 : x.localeCompare(y))).map(([name, artist]) => ({ name, artist }));
}

export const getMusicFolders: SubsonicHandler = async (ctx) => {
  const ids = await libraryIdsFor(ctx.user);
  const libs = await findLibrariesByIds(ids);
  return { musicFolders: { musicFolder: libs.map((l) => ({ id: l.id, name: l.name })) } };
};

/**
 * getIndexes/getArtists answer from lib/catalog/artist-index-cache: the whole artist index
 * is rendered once per (user, libraries, catalog and annotation generation) and format.
 */
async function cachedIndex(ctx: SubsonicContext, method: string, libraryIds: number[], stamp: number | undefined, build: () => Promise<SubsonicBody>): Promise<Response> {
  const choice = chooseFormat(ctx.params.raw);
  const format = choice.format === "xml" ? "xml" : "json";
  const doc = await cachedIndexDocument({ method, format, userId: ctx.user.id, libraryIds, stamp }, async () => renderDocument("ok", await build(), format));
  return respondWith(doc, choice);
}

export const getIndexes: SubsonicHandler = async (ctx) => {
  const libs = await scope(ctx);
  const lastModified = (await lastScanOf(libs))?.getTime() ?? 0;
  const since = ctx.params.int("ifModifiedSince", 0);
  // Navidrome: nothing changed since the client's copy, so no artists.
  if (since && since >= lastModified) return { indexes: { lastModified, ignoredArticles: IGNORED_ARTICLES } };
  return cachedIndex(ctx, "getIndexes", libs, lastModified, async () => {
    const artists = await indexArtistSummaries(libs);
    const ann = lookupFrom(await annotationsOf(ctx.user.id, { artist: artists.map((a) => a.id) }));
    return {
      indexes: {
        lastModified,
        ignoredArticles: IGNORED_ARTICLES,
        index: groupByLetter(artists, (a) => ({ id: a.id, name: a.name, albumCount: a.albumCount, starred: ann("artist", a.id)?.starredAt?.toISOString() })),
      },
    };
  });
};

export const getArtists: SubsonicHandler = async (ctx) => {
  const libs = await scope(ctx);
  return cachedIndex(ctx, "getArtists", libs, undefined, async () => {
    const artists = await indexArtistSummaries(libs);
    const ann = lookupFrom(await annotationsOf(ctx.user.id, { artist: artists.map((a) => a.id) }));
    return { artists: { ignoredArticles: IGNORED_ARTICLES, index: groupByLetter(artists, (a) => artistID3(a, ann)) } };
  });
};

export const getArtist: SubsonicHandler = async (ctx) => {
  const id = ctx.params.required("id");
  const libs = await libraryIdsFor(ctx.user);
  const found = await artistWithAlbums(id, libs);
  if (!found) throw new SubsonicError(70, "Artist not found");
  const { artist, albums } = found;
  const ann = lookupFrom(await annotationsOf(ctx.user.id, { artist: [id], album: albums.map((a) => a.id) }));
  return { artist: { ...artistID3(artist, ann), album: albums.map((a) => albumID3(a, ann)) } };
};

export const getAlbum: SubsonicHandler = async (ctx) => {
  const id = ctx.params.required("id");
  const album = await visibleAlbum(id, await libraryIdsFor(ctx.user));
  if (!album) throw new SubsonicError(70, "Album not found");
  const songs = await tracksOfAlbum(id);
  const ann = lookupFrom(await annotationsOf(ctx.user.id, { album: [id], track: songs.map((s) => s.id) }));
  return { album: { ...albumID3(album, ann), song: songs.map((s) => songChild(s, ann)) } };
};

export const getSong: SubsonicHandler = async (ctx) => {
  const id = ctx.params.required("id");
  const song = await visibleTrack(id, await libraryIdsFor(ctx.user));
  if (!song) throw new SubsonicError(70, "Song not found");
  return { song: songChild(song, lookupFrom(await annotationsOf(ctx.user.id, { track: [id] }))) };
};

/** Folder-style browsing over the same catalog: an artist's directory lists albums, an album's its songs. */
export const getMusicDirectory: SubsonicHandler = async (ctx) => {
  const id = ctx.params.required("id");
  const libs = await libraryIdsFor(ctx.user);
  const withAlbums = await artistWithAlbums(id, libs);
  if (withAlbums) {
    const { artist, albums } = withAlbums;
    const ann = lookupFrom(await annotationsOf(ctx.user.id, { artist: [id], album: albums.map((a) => a.id) }));
    return { directory: { id, name: artist.name, starred: ann("artist", id)?.starredAt?.toISOString(), child: albums.map((a) => albumChild(a, ann)) } };
  }
  const album = await visibleAlbum(id, libs);
  if (album) {
    const songs = await tracksOfAlbum(id);
    const ann = lookupFrom(await annotationsOf(ctx.user.id, { album: [id], track: songs.map((s) => s.id) }));
    return { directory: { id, parent: album.albumArtistId, name: album.name, starred: ann("album", id)?.starredAt?.toISOString(), child: songs.map((s) => songChild(s, ann)) } };
  }
  throw new SubsonicError(70, "Directory not found");
};
