import { describe, expect, it } from "vitest";
import { BIT_RATE_CHOICES, bitRateLabel, bitRateOptions, effectiveCap } from "./bit-rates";

describe("bit-rate choices", () => {
  it("offers No limit and Navidrome's steps from 32 to 320 kbps", () => {
    expect(BIT_RATE_CHOICES.map(bitRateLabel)).toEqual(["No limit", "32 kbps", "48 kbps", "64 kbps", "96 kbps", "112 kbps", "128 kbps", "160 kbps", "192 kbps", "256 kbps", "320 kbps"]);
  });

  it("keeps a stored value that is not a step, in order, so the select is never blank", () => {
    expect(bitRateOptions(128)).toEqual([...BIT_RATE_CHOICES]);
    expect(bitRateOptions(100)).toEqual([0, 32, 48, 64, 96, 100, 112, 128, 160, 192, 256, 320]);
    expect(bitRateOptions(1000).at(-1)).toBe(1000);
  });

  it("takes the lowest cap that is set", () => {
    expect(effectiveCap(0, 0)).toBe(0);
    expect(effectiveCap(128, 0)).toBe(128);
    expect(effectiveCap(0, 96)).toBe(96);
    expect(effectiveCap(320, 64)).toBe(64);
  });
});
