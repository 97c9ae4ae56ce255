import { afterAll, describe, expect, it } from "vitest";
import type { MediaFile } from "../db/rows";
import { setSonicSimilaritySource, songRefOf, sonicProvider, type SonicSimilarityProvider } from "./sonic";

afterAll(() => setSonicSimilaritySource(null));

describe("sonicProvider", () => {
  it("is unavailable without a source, and follows the source on every call", () => {
    expect(sonicProvider()).toBeNull();
    let current: SonicSimilarityProvider | undefined;
    setSonicSimilaritySource({ provider: () => current });
    expect(sonicProvider()).toBeNull();
    current = { id: "p", similarTracks: async () => [], findPath: async () => [] };
    expect(sonicProvider()?.id).toBe("p");
    current = undefined;
    expect(sonicProvider()).toBeNull();
  });
});

describe("songRefOf", () => {
  it("sends the identifiers a provider matches on, leaving empty ones out", () => {
    const mf = { id: "s1", title: "Whistle", mbzRecordingId: "", isrc: "ISRC1", artist: "Björk Demo", mbzArtistId: "", album: "Pure Tones", mbzAlbumId: "m1", duration: 61.3, participants: JSON.stringify([{ id: "a1", name: "Björk Demo", role: "artist" }, { id: "a2", name: "X", role: "albumartist" }]) } as MediaFile;
    expect(songRefOf(mf)).toEqual({ id: "s1", name: "Whistle", isrc: "ISRC1", artist: "Björk Demo", album: "Pure Tones", albumMbid: "m1", duration: Math.fround(61.3), durationMs: 61300, artists: [{ id: "a1", name: "Björk Demo" }] });
  });
});
