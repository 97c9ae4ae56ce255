import "server-only";
import type { SongRef } from "../../matcher/matcher";
import type { SonicMatch, SonicSimilarityProvider, SonicSimilaritySource } from "../../sonic/sonic";
import type { PluginManager } from "../manager";

/** SonicSimilarity exports (contract §3.4). */
export const FUNC_GET_SONIC_SIMILAR_TRACKS = "nd_get_sonic_similar_tracks";
export const FUNC_FIND_SONIC_PATH = "nd_find_sonic_path";

/** `nd_get_sonic_similar_tracks` input. */
export interface SonicSimilarTracksRequest {
  song: SongRef;
  count: number;
}

/** `nd_find_sonic_path` input. */
export interface FindSonicPathRequest {
  startSong: SongRef;
  endSong: SongRef;
  count: number;
}

/** Output of both exports. */
export interface SonicMatchesResponse {
  matches?: { song?: SongRef; similarity?: number }[];
}

/** Entries without a named song are skipped; a missing similarity is 0. */
function matchesOf(out: SonicMatchesResponse | undefined): SonicMatch[] {
  return (out?.matches ?? []).filter((m) => m?.song && typeof m.song.name === "string").map((m) => ({ song: m.song!, similarity: Number(m.similarity ?? 0) }));
}

/** A loaded plugin as the `SonicSimilarityProvider`. Call failures are thrown as they are. */
export class PluginSonicSimilarity implements SonicSimilarityProvider {
  constructor(
    private readonly manager: PluginManager,
    readonly id: string,
  ) {}

  async similarTracks(song: SongRef, count: number): Promise<SonicMatch[]> {
    return matchesOf(await this.manager.call<SonicMatchesResponse>(this.id, FUNC_GET_SONIC_SIMILAR_TRACKS, { song, count } satisfies SonicSimilarTracksRequest));
  }

  async findPath(startSong: SongRef, endSong: SongRef, count: number): Promise<SonicMatch[]> {
    return matchesOf(await this.manager.call<SonicMatchesResponse>(this.id, FUNC_FIND_SONIC_PATH, { startSong, endSong, count } satisfies FindSonicPathRequest));
  }
}

/** The sonic service's view of the plugin manager: the first loaded plugin with the capability is the provider. */
export function pluginSonicSimilaritySource(manager: PluginManager): SonicSimilaritySource {
  return {
    provider: () => {
      const id = manager.pluginsWith("SonicSimilarity")[0];
      return id === undefined ? undefined : new PluginSonicSimilarity(manager, id);
    },
  };
}
