import "server-only";
import { albumInfo, artistInfo } from "../../agents/artist-info";
import { similarSongs, topSongs, type SimilarSource } from "../../agents/songs";
import { db } from "../../db/client";
import type { Artist, MediaFile } from "../../db/generated/prisma/client";
import { annotationsFor, libraryIdsFor } from "../access";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";
import { artistID3, songChild } from "../shapes";

/** An artist, album or song id resolved to its artist (getArtistInfo accepts all three). */
async function artistFor(id: string, libs: number[]): Promise<Artist> {
  const direct = await db().artist.findUnique({ where: { id } });
  if (direct) return direct;
  const album = await db().album.findUnique({ where: { id } });
  const song = album ? null : await db().mediaFile.findUnique({ where: { id } });
  const artistId = album && libs.includes(album.libraryId) ? album.albumArtistId : song && libs.includes(song.libraryId) ? song.artistId : null;
  const artist = artistId ? await db().artist.findUnique({ where: { id: artistId } }) : null;
  if (!artist) throw new SubsonicError(70, "Artist not found");
  return artist;
}

async function artistInfoBody(ctx: SubsonicContext, id3: boolean) {
  const libs = await libraryIdsFor(ctx.user);
  const artist = await artistInfo(await artistFor(ctx.params.required("id"), libs));
  const count = ctx.params.int("count", 20);
  const includeNotPresent = ctx.params.bool("includeNotPresent", false);
  const similar = (JSON.parse(artist.similarArtists) as { name: string; mbid?: string }[]).slice(0, 500);
  const known = await db().artist.findMany({ where: { name: { in: similar.map((s) => s.name) } } });
  const byName = new Map(known.map((a) => [a.name.toLowerCase(), a]));
  const ann = await annotationsFor(ctx.user, { artist: known.map((a) => a.id) });
  const similarArtist = [];
  for (const s of similar) {
    if (similarArtist.length >= count) break;
    const a = byName.get(s.name.toLowerCase());
    if (a) similarArtist.push(id3 ? artistID3(a, ann) : { id: a.id, name: a.name, albumCount: a.albumCount });
    else if (includeNotPresent) similarArtist.push({ id: "-1", name: s.name });
  }
  return {
    biography: artist.biography || undefined,
    musicBrainzId: artist.mbzArtistId || undefined,
    lastFmUrl: artist.externalUrl || undefined,
    smallImageUrl: artist.smallImageUrl || undefined,
    mediumImageUrl: artist.mediumImageUrl || undefined,
    largeImageUrl: artist.largeImageUrl || undefined,
    similarArtist,
  };
}

export const getArtistInfo: SubsonicHandler = async (ctx) => ({ artistInfo: await artistInfoBody(ctx, false) });
export const getArtistInfo2: SubsonicHandler = async (ctx) => ({ artistInfo2: await artistInfoBody(ctx, true) });

async function albumInfoBody(ctx: SubsonicContext) {
  const id = ctx.params.required("id");
  const libs = await libraryIdsFor(ctx.user);
  let album = await db().album.findUnique({ where: { id } });
  if (!album) {
    const song = await db().mediaFile.findUnique({ where: { id } });
    album = song ? await db().album.findUnique({ where: { id: song.albumId } }) : null;
  }
  if (!album || !libs.includes(album.libraryId)) throw new SubsonicError(70, "Album not found");
  album = await albumInfo(album);
  return {
    notes: album.description || undefined,
    musicBrainzId: album.mbzAlbumId || undefined,
    lastFmUrl: album.externalUrl || undefined,
    smallImageUrl: album.smallImageUrl || undefined,
    mediumImageUrl: album.mediumImageUrl || undefined,
    largeImageUrl: album.largeImageUrl || undefined,
  };
}

export const getAlbumInfo: SubsonicHandler = async (ctx) => ({ albumInfo: await albumInfoBody(ctx) });
export const getAlbumInfo2: SubsonicHandler = getAlbumInfo;

async function songList(ctx: SubsonicContext, songs: MediaFile[]) {
  const ann = await annotationsFor(ctx.user, { track: songs.map((s) => s.id) });
  return songs.map((s) => songChild(s, ann));
}

/** getTopSongs: by artist name, or (OpenSubsonic `topSongsByArtistId`) by artist id. */
export const getTopSongs: SubsonicHandler = async (ctx) => {
  const libs = await libraryIdsFor(ctx.user);
  const id = ctx.params.string("id");
  const artist = id ? await db().artist.findUnique({ where: { id } }) : await db().artist.findFirst({ where: { name: ctx.params.required("artist") } });
  const songs = artist ? await topSongs(artist, ctx.params.int("count", 50), libs) : [];
  return { topSongs: { song: await songList(ctx, songs) } };
};

async function similarBody(ctx: SubsonicContext) {
  const id = ctx.params.required("id");
  const libs = await libraryIdsFor(ctx.user);
  const count = ctx.params.int("count", 50);
  let src: SimilarSource | null = null;
  const track = await db().mediaFile.findUnique({ where: { id } });
  if (track && libs.includes(track.libraryId)) src = { kind: "track", track };
  const album = src ? null : await db().album.findUnique({ where: { id } });
  if (album && libs.includes(album.libraryId)) src = { kind: "album", album };
  const artist = src ? null : await db().artist.findUnique({ where: { id } });
  if (artist) src = { kind: "artist", artist };
  if (!src) throw new SubsonicError(70, "Item not found");
  return { song: await songList(ctx, await similarSongs(src, count, libs)) };
}

export const getSimilarSongs: SubsonicHandler = async (ctx) => ({ similarSongs: await similarBody(ctx) });
export const getSimilarSongs2: SubsonicHandler = async (ctx) => ({ similarSongs2: await similarBody(ctx) });
