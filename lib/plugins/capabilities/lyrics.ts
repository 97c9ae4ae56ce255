import "server-only";
import type { MediaFile } from "../../db/rows";
import type { LyricsSource, LyricsSources } from "../../lyrics/lyrics";
import { parseLyrics, type StructuredLyrics } from "../../lyrics/lrc";
import type { PluginManager } from "../manager";
import { trackInfo, type TrackInfo } from "./track-info";

/** Lyrics export (contract §3.3). */
export const FUNC_GET_LYRICS = "nd_lyrics_get_lyrics";

/** `nd_lyrics_get_lyrics` input. */
export interface GetLyricsRequest {
  track: TrackInfo;
}

/** `nd_lyrics_get_lyrics` output: each entry plain or LRC text; `lang` defaults to `xxx` (undetermined). */
export interface GetLyricsResponse {
  lyrics?: { lang?: string; text?: string }[];
}

/**
 * A loaded plugin as a `LyricsSource` (Navidrome's lyrics plugin adapter). Entries
 * without text are skipped; a failed call is thrown for the lyrics service to log.
 */
export class PluginLyricsSource implements LyricsSource {
  constructor(
    private readonly manager: PluginManager,
    readonly id: string,
  ) {}

  async getLyrics(track: MediaFile): Promise<StructuredLyrics[]> {
    const plugin = this.manager.loadedPlugin(this.id);
    const info = trackInfo(track, plugin ? { manifest: plugin.manifest, allLibraries: plugin.record.allLibraries, libraries: plugin.record.libraries } : undefined);
    const out = await this.manager.call<GetLyricsResponse>(this.id, FUNC_GET_LYRICS, { track: info } satisfies GetLyricsRequest);
    const result: StructuredLyrics[] = [];
    for (const entry of out?.lyrics ?? []) {
      if (!entry || typeof entry.text !== "string") continue;
      const parsed = parseLyrics(entry.text, entry.lang || "xxx");
      if (parsed) result.push(parsed);
    }
    return result;
  }
}

/** The lyrics service's view of the plugin manager: a plugin id names a provider while it is loaded with the Lyrics capability. */
export function pluginLyricsSources(manager: PluginManager): LyricsSources {
  return {
    get: (name) => (manager.loadedPlugin(name)?.capabilities.includes("Lyrics") ? new PluginLyricsSource(manager, name) : undefined),
  };
}
