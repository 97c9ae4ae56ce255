import "server-only";
import { safeLinkUrl, sanitiseAgentHtml } from "../../agents/agent-html";
import { albumInfo, artistInfo } from "../../agents/artist-info";
import { similarSongs, topSongs } from "../../agents/songs";
import { albumFor, artistByIdOrName, artistFor, artistsByName, similarTo } from "../../catalog/lookup";
import { similarArtistsOf } from "../../db/catalog";
import type { MediaFile } from "../../db/rows";
import { annotationsFor, libraryIdsFor } from "../access";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";
import { artistID3, songChild } from "../shapes";

async function artistInfoBody(ctx: SubsonicContext, id3: boolean) {
  const libs = await libraryIdsFor(ctx.user);
  // getArtistInfo accepts an artist, album or song id.
  const found = await artistFor(ctx.params.required("id"), libs);
  if (!found) throw new SubsonicError(70, "Artist not found");
  const artist = await artistInfo(found);
  const count = ctx.params.int("count", 20);
  const includeNotPresent = ctx.params.bool("includeNotPresent", false);
  const similar = similarArtistsOf(artist).slice(0, 500);
  const byName = await artistsByName(similar.map((s) => s.name));
  const ann = await annotationsFor(ctx.user, { artist: [...byName.values()].map((a) => a.id) });
  const similarArtist = [];
  for (const s of similar) {
    if (similarArtist.length >= count) break;
    const a = byName.get(s.name.toLowerCase());
    if (a) similarArtist.push(id3 ? artistID3(a, ann) : { id: a.id, name: a.name, albumCount: a.albumCount });
    else if (includeNotPresent) similarArtist.push({ id: "-1", name: s.name });
  }
  return {
    // Sanitised again on the way out: rows stored before agent HTML was sanitised (idempotent).
    biography: sanitiseAgentHtml(artist.biography) || undefined,
    musicBrainzId: artist.mbzArtistId || undefined,
    lastFmUrl: safeLinkUrl(artist.externalUrl) || undefined,
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
  const found = await albumFor(id, libs);
  if (!found) throw new SubsonicError(70, "Album not found");
  const album = await albumInfo(found);
  return {
    notes: sanitiseAgentHtml(album.description) || undefined,
    musicBrainzId: album.mbzAlbumId || undefined,
    lastFmUrl: safeLinkUrl(album.externalUrl) || undefined,
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
  const artist = await artistByIdOrName(id, () => ctx.params.required("artist"));
  const songs = artist ? await topSongs(artist, ctx.params.int("count", 50), libs) : [];
  return { topSongs: { song: await songList(ctx, songs) } };
};

async function similarBody(ctx: SubsonicContext) {
  const id = ctx.params.required("id");
  const libs = await libraryIdsFor(ctx.user);
  const count = ctx.params.int("count", 50);
  const src = await similarTo(id, libs);
  if (!src) throw new SubsonicError(70, "Item not found");
  return { song: await songList(ctx, await similarSongs(src, count, libs)) };
}

export const getSimilarSongs: SubsonicHandler = async (ctx) => ({ similarSongs: await similarBody(ctx) });
export const getSimilarSongs2: SubsonicHandler = async (ctx) => ({ similarSongs2: await similarBody(ctx) });
