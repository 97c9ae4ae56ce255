import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TranscodeDiskCache } from "./disk-cache";
import { ProcessLimiter } from "./ffmpeg";
import { buildArgs, decideStream, effectiveMaxBitRate, profilesFrom } from "./profiles";

const put = (c: TranscodeDiskCache, key: string, bytes: number) => {
  const part = c.partFile(key);
  writeFileSync(part, Buffer.alloc(bytes, 1));
  c.commit(key, part, bytes);
};

describe("TranscodeDiskCache", () => {
  it("stays under its byte limit, evicting the least recently used output first", () => {
    const c = new TranscodeDiskCache(mkdtempSync(path.join(tmpdir(), "tc-")), 250);
    put(c, "a", 100);
    put(c, "b", 100);
    expect(c.get("a")).not.toBeNull(); // a is now more recent than b
    put(c, "c", 100);
    expect(c.size).toBe(200);
    expect(c.get("b")).toBeNull();
    expect(c.get("a")?.size).toBe(100);
    expect(c.get("c")?.size).toBe(100);
    expect(readdirSync(c.folder).sort()).toEqual(["a.out", "c.out"]);
  });

  it("drops an output larger than the whole cache, and forgets files removed behind its back", () => {
    const folder = mkdtempSync(path.join(tmpdir(), "tc-"));
    const c = new TranscodeDiskCache(folder, 50);
    put(c, "big", 60);
    expect(c.get("big")).toBeNull();
    expect(readdirSync(folder)).toEqual([]);
  });

  it("rebuilds its index from the folder at start and removes unfinished .part files", () => {
    const folder = mkdtempSync(path.join(tmpdir(), "tc-"));
    writeFileSync(path.join(folder, "old.out"), Buffer.alloc(80));
    writeFileSync(path.join(folder, "new.out"), Buffer.alloc(80));
    writeFileSync(path.join(folder, "x.123-1.part"), Buffer.alloc(10));
    const c = new TranscodeDiskCache(folder, 100);
    expect(existsSync(path.join(folder, "x.123-1.part"))).toBe(false);
    expect(c.size).toBe(80); // two did not fit: one of them was evicted
    expect(c.count).toBe(1);
  });
});

describe("ProcessLimiter", () => {
  it("runs at most `max` at once and hands slots over in arrival order, skipping withdrawn waiters", async () => {
    const l = new ProcessLimiter(2);
    const a = await l.acquire().ready;
    await l.acquire().ready;
    const third = l.acquire();
    const fourth = l.acquire();
    const order: string[] = [];
    void fourth.ready.then(() => order.push("fourth"));
    third.cancel();
    expect([l.active, l.waiting]).toEqual([2, 1]);
    a();
    a(); // releasing twice frees one slot only
    await fourth.ready;
    expect(order).toEqual(["fourth"]);
    expect([l.active, l.waiting]).toEqual([2, 0]);
  });
});

describe("stream decisions", () => {
  const profiles = profilesFrom({ OpusCommand: "ffmpeg -i %s", OpusBitRate: 128, Mp3Command: "ffmpeg", Mp3BitRate: 192, AacCommand: "ffmpeg", AacBitRate: 192 } as never);
  const flac = { suffix: "flac", bitRate: 900 };
  const mp3 = { suffix: "mp3", bitRate: 320 };
  it("follows Navidrome: raw unless a format, a lower cap or an offset asks otherwise", () => {
    expect(decideStream({ format: "", maxBitRate: 0, offsetSeconds: 0 }, flac, profiles, "opus")).toEqual({ kind: "raw" });
    expect(decideStream({ format: "raw", maxBitRate: 64, offsetSeconds: 5 }, flac, profiles, "opus")).toEqual({ kind: "raw" });
    expect(decideStream({ format: "", maxBitRate: 1000, offsetSeconds: 0 }, flac, profiles, "opus")).toEqual({ kind: "raw" });
    expect(decideStream({ format: "", maxBitRate: 96, offsetSeconds: 0 }, flac, profiles, "opus")).toEqual({ kind: "transcode", format: "opus", bitRate: 96, offsetSeconds: 0 });
    expect(decideStream({ format: "mp3", maxBitRate: 0, offsetSeconds: 0 }, flac, profiles, "opus")).toEqual({ kind: "transcode", format: "mp3", bitRate: 192, offsetSeconds: 0 });
    expect(decideStream({ format: "mp3", maxBitRate: 0, offsetSeconds: 0 }, mp3, profiles, "opus")).toEqual({ kind: "raw" });
    expect(decideStream({ format: "mp3", maxBitRate: 128, offsetSeconds: 0 }, mp3, profiles, "opus")).toMatchObject({ kind: "transcode", bitRate: 128 });
    expect(decideStream({ format: "", maxBitRate: 0, offsetSeconds: 30 }, mp3, profiles, "opus")).toMatchObject({ kind: "transcode", format: "opus", offsetSeconds: 30 });
  });

  it("takes the lowest cap that is set", () => {
    expect(effectiveMaxBitRate({ request: 0, player: 0, user: 0 })).toBe(0);
    expect(effectiveMaxBitRate({ request: 320, player: 0, user: 128 })).toBe(128);
    expect(effectiveMaxBitRate({ request: 64, player: 96, user: 0 })).toBe(64);
  });

  it("passes the file name as one argument, whatever it contains", () => {
    expect(buildArgs("ffmpeg -ss %t -i %s -b:a %bk -", { file: "a b; rm -rf $HOME %b.flac", offsetSeconds: 1.5, bitRate: 96 })).toEqual(["-ss", "1.5", "-i", "a b; rm -rf $HOME %b.flac", "-b:a", "96k", "-"]);
  });
});
