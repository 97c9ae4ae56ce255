import "server-only";
import { lyricsCandidates } from "../../catalog/lookup";
import { visibleTrack } from "../../catalog/visibility";
import { lyricsFor } from "../../lyrics/lyrics";
import { libraryIdsFor } from "../access";
import type { SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";

/** getLyrics: the first song matching artist and title (songs with embedded lyrics first); the first lyric as plain text. */
export const getLyrics: SubsonicHandler = async (ctx) => {
  const artist = ctx.params.string("artist") ?? "";
  const title = ctx.params.string("title") ?? "";
  const libs = await libraryIdsFor(ctx.user);
  for (const song of await lyricsCandidates(libs, title, artist)) {
    const found = await lyricsFor(song);
    if (found.length) return { lyrics: { artist: song.artist, title: song.title, value: found[0].line.map((l) => l.value).join("\n") } };
  }
  return { lyrics: { artist: artist || undefined, title: title || undefined } };
};

/** OpenSubsonic getLyricsBySongId (`songLyrics`): every lyric of the song, structured. */
export const getLyricsBySongId: SubsonicHandler = async (ctx) => {
  const id = ctx.params.required("id");
  const song = await visibleTrack(id, await libraryIdsFor(ctx.user));
  if (!song) throw new SubsonicError(70, "Song not found");
  const found = await lyricsFor(song);
  return {
    lyricsList: {
      structuredLyrics: found.map((l) => ({
        displayArtist: l.displayArtist ?? song.artist,
        displayTitle: l.displayTitle ?? song.title,
        lang: l.lang,
        offset: l.offset ?? 0,
        synced: l.synced,
        line: l.line.map((x) => (l.synced ? { start: x.start ?? 0, value: x.value } : { value: x.value })),
      })),
    },
  };
};
