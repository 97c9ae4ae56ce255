import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { MediaFile } from "../db/rows";
import { findLibrary } from "../libraries/libraries";
import { log } from "../log";
import { remember } from "../server/remember";
import { settings } from "../server/settings";
import { parseLyrics, type StructuredLyrics } from "./lrc";

/**
 * A lyrics provider named in `LyricsPriority` (Navidrome's `lyrics.Provider`). Owned here
 * and implemented by the plugin adapter (lib/plugins/capabilities/lyrics.ts). Answers the
 * lyrics it found (none is an answer) or throws; a failure moves on to the next source.
 */
export interface LyricsSource {
  getLyrics(track: MediaFile): Promise<StructuredLyrics[]>;
}

/** Where `lyricsFor` finds the named lyrics providers (read on every request). */
export interface LyricsSources {
  /** The provider with this name (a plugin id), or undefined while none is available. */
  get(name: string): LyricsSource | undefined;
}

// On globalThis: boot wires the sources, route handlers read them.
const holder = remember("lyricsSources", () => ({ sources: null as LyricsSources | null }));

/** Sets where named lyrics providers come from (boot wires the plugin adapter); null: none. */
export function setLyricsSources(sources: LyricsSources | null): void {
  holder.sources = sources;
}

/**
 * Lyrics of a track from the sources in `LyricsPriority` (contract §3.3), in order:
 * `embedded` (tags), `.ext` sidecar files beside the track, or a plugin id. The first
 * source with a non-empty result wins; failures are logged and the next source is tried.
 */
export async function lyricsFor(mf: MediaFile): Promise<StructuredLyrics[]> {
  const sources = settings()
    .LyricsPriority.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const source of sources) {
    try {
      const found = source.toLowerCase() === "embedded" ? embedded(mf) : source.startsWith(".") ? await sidecar(mf, source) : await fromProvider(mf, source);
      if (found.length) return found;
    } catch (err) {
      log.warn({ source, track: mf.id, err: (err as Error).message }, "Lyrics source failed");
    }
  }
  return [];
}

function embedded(mf: MediaFile): StructuredLyrics[] {
  return JSON.parse(mf.lyrics) as StructuredLyrics[];
}

async function sidecar(mf: MediaFile, ext: string): Promise<StructuredLyrics[]> {
  const lib = await findLibrary(mf.libraryId);
  if (!lib) return [];
  const file = path.join(lib.path, mf.path.replace(/\.[^./]+$/, "") + ext);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return [];
  }
  const parsed = parseLyrics(text.replace(/^\uFEFF/, ""), "");
  return parsed ? [parsed] : [];
}

async function fromProvider(mf: MediaFile, id: string): Promise<StructuredLyrics[]> {
  const provider = holder.sources?.get(id);
  if (!provider) {
    log.warn({ plugin: id }, "LyricsPriority names a plugin that is not loaded or has no Lyrics capability");
    return [];
  }
  return provider.getLyrics(mf);
}
