import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { db } from "../db/client";
import type { MediaFile } from "../db/generated/prisma/client";
import { log } from "../log";
import { trackInfo } from "../plugins/capabilities/track-info";
import { pluginManager } from "../plugins";
import { settings } from "../server/settings";
import { parseLyrics, type StructuredLyrics } from "./lrc";

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
      const found = source.toLowerCase() === "embedded" ? embedded(mf) : source.startsWith(".") ? await sidecar(mf, source) : await fromPlugin(mf, source);
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
  const lib = await db().library.findUnique({ where: { id: mf.libraryId } });
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

async function fromPlugin(mf: MediaFile, id: string): Promise<StructuredLyrics[]> {
  const manager = pluginManager();
  const plugin = manager?.loadedPlugin(id);
  if (!manager || !plugin || !plugin.capabilities.includes("Lyrics")) {
    log.warn({ plugin: id }, "LyricsPriority names a plugin that is not loaded or has no Lyrics capability");
    return [];
  }
  const out = await manager.call<{ lyrics?: { lang?: string; text?: string }[] }>(id, "nd_lyrics_get_lyrics", { track: trackInfo(mf, { manifest: plugin.manifest, allLibraries: plugin.record.allLibraries, libraries: plugin.record.libraries }) });
  const result: StructuredLyrics[] = [];
  for (const entry of out?.lyrics ?? []) {
    if (!entry || typeof entry.text !== "string") continue;
    const parsed = parseLyrics(entry.text, entry.lang || "xxx");
    if (parsed) result.push(parsed);
  }
  return result;
}
