import "server-only";
import { findAlbum, findArtist, saveAlbumInfo, saveArtistInfo } from "../db/agents";
import type { Album, Artist } from "../db/rows";
import { log } from "../log";
import { remember } from "../server/remember";
import type { ArtistRef, ImageInfo } from "./agent";
import { safeLinkUrl, sanitiseAgentHtml } from "./agent-html";
import { firstAnswer } from "./agents";

export const ARTIST_INFO_TTL_MS = 24 * 3600 * 1000; // DevArtistInfoTimeToLive
export const ALBUM_INFO_TTL_MS = 7 * 24 * 3600 * 1000; // DevAlbumInfoTimeToLive
const SIMILAR_ARTISTS_LIMIT = 150; // 100 × DevExternalArtistFetchMultiplier (1.5)
const REFRESH_DELAY_MS = 5000;
const REFRESH_QUEUE_MAX = 2000;

/** Images sorted by size, largest first, as large / medium / small. */
function imageSlots(images: ImageInfo[]): { largeImageUrl: string; mediumImageUrl: string; smallImageUrl: string } {
  const sorted = [...images].filter((i) => i && typeof i.url === "string" && i.url).sort((a, b) => (b.size ?? 0) - (a.size ?? 0));
  return { largeImageUrl: sorted[0]?.url ?? "", mediumImageUrl: sorted[1]?.url ?? "", smallImageUrl: sorted[2]?.url ?? "" };
}

/** Runs `fn` over items two at a time (Navidrome enriches with a concurrency of 2). */
async function twoAtATime(fns: (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  await Promise.all([0, 1].map(async () => {
    while (next < fns.length) await fns[next++]();
  }));
}

/**
 * Asks the agents about an artist: MBID first when unknown, then images, biography, URL
 * and similar artists. The timestamp is stored even when nothing was found ("no data" is
 * an answer); when an agent failed for real, it is left unset so the next request asks again.
 */
export async function enrichArtist(artist: Artist): Promise<Artist> {
  const { id, name } = artist;
  let mbid = artist.mbzArtistId;
  let failed = false;
  if (!mbid) {
    const r = await firstAnswer((a) => a.getArtistMBID(id, name), "artist mbid");
    mbid = r.value ?? "";
    failed ||= r.failed;
  }
  const data: Partial<Artist> = {};
  await twoAtATime([
    async () => {
      const r = await firstAnswer((a) => a.getArtistImages(id, name, mbid), "artist images");
      failed ||= r.failed;
      if (r.value) Object.assign(data, imageSlots(r.value));
    },
    async () => {
      const r = await firstAnswer((a) => a.getArtistBiography(id, name, mbid), "artist biography");
      failed ||= r.failed;
      if (r.value) data.biography = sanitiseAgentHtml(r.value);
    },
    async () => {
      const r = await firstAnswer((a) => a.getArtistURL(id, name, mbid), "artist url");
      failed ||= r.failed;
      if (r.value) data.externalUrl = safeLinkUrl(r.value);
    },
    async () => {
      const r = await firstAnswer((a) => a.getSimilarArtists(id, name, mbid, SIMILAR_ARTISTS_LIMIT), "similar artists");
      failed ||= r.failed;
      if (r.value) data.similarArtists = JSON.stringify(r.value.filter((s: ArtistRef) => s && typeof s.name === "string" && s.name));
    },
  ]);
  if (mbid && !artist.mbzArtistId) data.mbzArtistId = mbid;
  if (!failed || Object.keys(data).length) data.externalInfoUpdatedAt = new Date();
  return saveArtistInfo(id, data);
}

/** Background refreshes of stale info (5 s delay, bounded queue; drops when full). */
const queue = remember("infoRefreshQueue", () => ({ pending: new Set<string>(), timer: null as NodeJS.Timeout | null }));

function queueRefresh(key: string): void {
  if (queue.pending.has(key) || queue.pending.size >= REFRESH_QUEUE_MAX) return;
  queue.pending.add(key);
  queue.timer ??= setTimeout(drain, REFRESH_DELAY_MS);
  queue.timer.unref?.();
}

async function drain(): Promise<void> {
  queue.timer = null;
  const keys = [...queue.pending];
  queue.pending.clear();
  for (const key of keys) {
    const [kind, id] = key.split(":");
    try {
      if (kind === "artist") {
        const a = await findArtist(id);
        if (a) await enrichArtist(a);
      } else {
        const al = await findAlbum(id);
        if (al) await enrichAlbum(al);
      }
    } catch (err) {
      log.warn({ key, err: (err as Error).message }, "Background info refresh failed");
    }
  }
}

/** Artist info for getArtistInfo(2): fetched synchronously the first time, then refreshed in the background after the TTL. */
export async function artistInfo(artist: Artist): Promise<Artist> {
  if (!artist.externalInfoUpdatedAt) return enrichArtist(artist);
  if (Date.now() - artist.externalInfoUpdatedAt.getTime() > ARTIST_INFO_TTL_MS) queueRefresh(`artist:${artist.id}`);
  return artist;
}

/** The agents' album info, then (when found) album images. Not found ⇒ nothing stored, asked again next time. */
export async function enrichAlbum(album: Album): Promise<Album> {
  const info = await firstAnswer((a) => a.getAlbumInfo(album.name, album.albumArtist, album.mbzAlbumId), "album info");
  if (!info.value) return album;
  const images = await firstAnswer((a) => a.getAlbumImages(album.name, album.albumArtist, info.value!.mbid || album.mbzAlbumId), "album images");
  return saveAlbumInfo(album.id, {
    // Agent output is untrusted: notes are HTML rendered by clients, the URL becomes a link.
    description: sanitiseAgentHtml(info.value.description),
    externalUrl: safeLinkUrl(info.value.url),
    mbzAlbumId: album.mbzAlbumId || info.value.mbid,
    ...(images.value ? imageSlots(images.value) : {}),
    externalInfoUpdatedAt: new Date(),
  });
}

export async function albumInfo(album: Album): Promise<Album> {
  if (!album.externalInfoUpdatedAt) return enrichAlbum(album);
  if (Date.now() - album.externalInfoUpdatedAt.getTime() > ALBUM_INFO_TTL_MS) queueRefresh(`album:${album.id}`);
  return album;
}
