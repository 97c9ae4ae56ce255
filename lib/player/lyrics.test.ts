import { describe, expect, it } from "vitest";
import { activeLineIndex, formatTime, pickLyrics, type StructuredLyrics } from "./lyrics";

const synced: StructuredLyrics = { synced: true, offset: 0, line: [{ start: 0, value: "one" }, { start: 2000, value: "two" }, { start: 4000, value: "three" }] };
const plain: StructuredLyrics = { synced: false, line: [{ value: "la" }, { value: "la la" }] };

describe("lyrics pane choices", () => {
  it("prefers synced lyrics, skips empty ones, answers null for none", () => {
    expect(pickLyrics([plain, synced])).toBe(synced);
    expect(pickLyrics([{ synced: true, line: [] }, plain])).toBe(plain);
    expect(pickLyrics([])).toBeNull();
    expect(pickLyrics(undefined)).toBeNull();
  });

  it("highlights the last line whose start has passed", () => {
    expect(activeLineIndex(synced, 0)).toBe(0);
    expect(activeLineIndex(synced, 1999)).toBe(0);
    expect(activeLineIndex(synced, 2000)).toBe(1);
    expect(activeLineIndex(synced, 99_000)).toBe(2);
    expect(activeLineIndex({ ...synced, line: [{ start: 1000, value: "late" }] }, 500)).toBe(-1);
    expect(activeLineIndex(plain, 5000)).toBe(-1);
    expect(activeLineIndex(null, 5000)).toBe(-1);
  });

  it("applies the offset (positive shows lines sooner) and tolerates out-of-order lines", () => {
    expect(activeLineIndex({ ...synced, offset: 500 }, 1500)).toBe(1);
    expect(activeLineIndex({ ...synced, offset: -500 }, 2200)).toBe(0);
    const shuffledLines: StructuredLyrics = { synced: true, line: [{ start: 4000, value: "c" }, { start: 0, value: "a" }, { start: 2000, value: "b" }] };
    expect(activeLineIndex(shuffledLines, 2500)).toBe(2);
    expect(activeLineIndex(shuffledLines, 4500)).toBe(0);
  });

  it("formats m:ss", () => {
    expect([formatTime(0), formatTime(9.9), formatTime(61), formatTime(3600), formatTime(NaN)]).toEqual(["0:00", "0:09", "1:01", "60:00", "0:00"]);
  });
});
