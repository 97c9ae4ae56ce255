import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import type { MediaFile } from "../db/rows";
import { setSettings } from "../server/settings";
import { parseLyrics, type StructuredLyrics } from "./lrc";
import { lyricsFor, setLyricsSources, type LyricsSource } from "./lyrics";

// The lyrics service over its own interface: in-test sources stand in for the plugin
// adapter (lib/plugins/capabilities/capabilities.test.ts runs the real plugin).
const sources = new Map<string, LyricsSource>();
const lyric = (text: string): StructuredLyrics => parseLyrics(text, "eng")!;
const track = { id: "t1", lyrics: JSON.stringify([lyric("from tags")]) } as MediaFile;

beforeAll(() => {
  const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-lyrics-"));
  setSettings(loadConfig({ ND_DATAFOLDER: dataFolder, ND_LYRICSPRIORITY: "not-loaded, broken, empty, good, embedded" }, ["node", "server"]));
  setLyricsSources({ get: (name) => sources.get(name) });
});
afterAll(() => setLyricsSources(null));

describe("lyricsFor", () => {
  it("skips unavailable and failing providers and those with nothing, in LyricsPriority order", async () => {
    const asked: string[] = [];
    const source = (name: string, answer: () => Promise<StructuredLyrics[]>): LyricsSource => ({
      getLyrics: async (mf) => {
        asked.push(`${name}:${mf.id}`);
        return answer();
      },
    });
    sources.set("broken", source("broken", () => Promise.reject(new Error("down"))));
    sources.set("empty", source("empty", async () => []));
    sources.set("good", source("good", async () => [lyric("from the provider")]));
    expect((await lyricsFor(track)).map((l) => l.line[0].value)).toEqual(["from the provider"]);
    expect(asked).toEqual(["broken:t1", "empty:t1", "good:t1"]);
  });

  it("reads the sources on every call: without the provider the next source answers", async () => {
    sources.delete("good");
    expect((await lyricsFor(track)).map((l) => l.line[0].value)).toEqual(["from tags"]);
  });
});
