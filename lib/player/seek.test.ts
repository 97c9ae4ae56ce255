import { describe, expect, it } from "vitest";
import { isTranscodeRequest, offsetUrl, planSeek, playerDuration, playerPosition } from "./seek";

describe("transcode seeking arithmetic", () => {
  it("counts a format or a bit-rate cap as a transcode request, the plain original not", () => {
    expect(isTranscodeRequest({ format: "raw", maxBitRate: 0 })).toBe(false);
    expect(isTranscodeRequest({ format: "opus", maxBitRate: 0 })).toBe(true);
    expect(isTranscodeRequest({ format: "raw", maxBitRate: 96 })).toBe(true);
  });

  it("adds timeOffset only when the offset is positive, in seconds with at most 3 decimals", () => {
    expect(offsetUrl("/rest/stream?id=1&format=opus", 0)).toBe("/rest/stream?id=1&format=opus");
    expect(offsetUrl("/rest/stream?id=1&format=opus", 12.34567)).toBe("/rest/stream?id=1&format=opus&timeOffset=12.346");
    expect(offsetUrl("/rest/stream", 5)).toBe("/rest/stream?timeOffset=5");
  });

  it("reports offset + element time as the position", () => {
    expect(playerPosition(0, 3.5)).toBe(3.5);
    expect(playerPosition(120, 2)).toBe(122);
    expect(playerPosition(10, Number.NaN)).toBe(10);
  });

  it("takes a transcode's duration from the track, an original's from the element", () => {
    // A live transcode reports Infinity (or only what is left after the offset): the track's duration wins.
    expect(playerDuration({ transcoded: true, trackDuration: 200, offset: 50, elementDuration: Infinity })).toBe(200);
    expect(playerDuration({ transcoded: true, trackDuration: 200, offset: 50, elementDuration: 150 })).toBe(200);
    // Unknown track duration: what the element knows, after the offset.
    expect(playerDuration({ transcoded: true, trackDuration: 0, offset: 50, elementDuration: 150 })).toBe(200);
    expect(playerDuration({ transcoded: true, trackDuration: 0, offset: 50, elementDuration: Infinity })).toBe(0);
    expect(playerDuration({ transcoded: false, trackDuration: 200, offset: 0, elementDuration: 199.5 })).toBe(199.5);
    expect(playerDuration({ transcoded: false, trackDuration: 200, offset: 0, elementDuration: Number.NaN })).toBe(200);
  });

  it("keeps native seeking for originals, wherever the target is", () => {
    expect(planSeek({ target: 150, offset: 0, duration: 200, transcoded: false, buffered: [], seekable: [] })).toEqual({ kind: "native", elementTime: 150 });
  });

  it("seeks natively inside what a transcode has buffered and the element can seek", () => {
    const r = [[0, 40]] as [number, number][];
    expect(planSeek({ target: 30, offset: 0, duration: 200, transcoded: true, buffered: r, seekable: r })).toEqual({ kind: "native", elementTime: 30 });
    // After a reload at 100 the element's time 0 is the track's 100.
    expect(planSeek({ target: 110, offset: 100, duration: 200, transcoded: true, buffered: r, seekable: r })).toEqual({ kind: "native", elementTime: 10 });
  });

  it("reloads a transcode at the target when it is past what is buffered or seekable", () => {
    const buffered = [[0, 40]] as [number, number][];
    expect(planSeek({ target: 120, offset: 0, duration: 200, transcoded: true, buffered, seekable: buffered })).toEqual({ kind: "reload", offset: 120 });
    // Buffered but not seekable (a stream without byte ranges): reload too.
    expect(planSeek({ target: 20, offset: 0, duration: 200, transcoded: true, buffered, seekable: [] })).toEqual({ kind: "reload", offset: 20 });
    // Before the current offset: the element never had that audio.
    expect(planSeek({ target: 50, offset: 100, duration: 200, transcoded: true, buffered, seekable: buffered })).toEqual({ kind: "reload", offset: 50 });
  });

  it("clamps a reload into the track: never negative, never at or past the end", () => {
    expect(planSeek({ target: -5, offset: 100, duration: 200, transcoded: true, buffered: [], seekable: [] })).toEqual({ kind: "reload", offset: 0 });
    expect(planSeek({ target: 500, offset: 0, duration: 200, transcoded: true, buffered: [], seekable: [] })).toEqual({ kind: "reload", offset: 199 });
  });

  it("seeks a reload back to 0 as a plain stream (offset 0)", () => {
    expect(planSeek({ target: 0, offset: 100, duration: 200, transcoded: true, buffered: [[0, 10]], seekable: [[0, 10]] })).toEqual({ kind: "reload", offset: 0 });
  });
});
