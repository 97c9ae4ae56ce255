import { describe, expect, it } from "vitest";
import type { PlayerTrack } from "@/components/player/player-types";
import { append, EMPTY_QUEUE, insertNext, moveEntry, nextIndex, nextRepeatMode, previousIndex, removeEntry, replaceQueue, shuffled, shuffleUpcoming, type QueueState } from "./queue";

const t = (id: string): PlayerTrack => ({ id, title: id.toUpperCase(), artist: "x", album: "y", duration: 10 });
const ids = (q: QueueState) => q.tracks.map((x) => x.id).join("");
const q = (s: string, index: number): QueueState => ({ tracks: [...s].map(t), index });
/** A deterministic "random" sequence for shuffles. */
const seq = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

describe("queue edits", () => {
  it("replaces the queue at the chosen start, shuffling the rest after the start track", () => {
    expect(replaceQueue([t("a"), t("b"), t("c")], 1)).toEqual({ tracks: [t("a"), t("b"), t("c")], index: 1 });
    expect(replaceQueue([], 0)).toBe(EMPTY_QUEUE);
    expect(replaceQueue([t("a"), t("b")], 9).index).toBe(1);
    const s = replaceQueue([..."abcde"].map(t), 2, true, seq(0.1, 0.7, 0.3));
    expect(s.index).toBe(0);
    expect(s.tracks[0].id).toBe("c");
    expect([...ids(s)].sort().join("")).toBe("abcde");
    expect(ids(s)).not.toBe("cabde");
  });

  it("adds next right after the current track and appends at the end", () => {
    expect(ids(insertNext(q("abc", 0), [t("x"), t("y")]))).toBe("axybc");
    expect(insertNext(q("abc", 2), [t("x")])).toEqual(q("abcx", 2));
    expect(insertNext(EMPTY_QUEUE, [t("x")])).toEqual(q("x", 0));
    expect(append(q("ab", 0), [t("c")])).toEqual(q("abc", 0));
    expect(append(EMPTY_QUEUE, [t("c")])).toEqual(q("c", 0));
  });

  it("keeps the current track current when entries move around it", () => {
    expect(moveEntry(q("abcd", 1), 1, 3)).toEqual(q("acdb", 3)); // the current moves
    expect(moveEntry(q("abcd", 2), 0, 3)).toEqual(q("bcda", 1)); // from before to after
    expect(moveEntry(q("abcd", 1), 3, 0)).toEqual(q("dabc", 2)); // from after to before
    expect(moveEntry(q("abcd", 1), 2, 3)).toEqual(q("abdc", 1)); // both after
    expect(moveEntry(q("abcd", 1), 0, 9)).toEqual(q("abcd", 1)); // out of range: unchanged
  });

  it("removes entries: earlier ones shift the index, the current one hands over to the next", () => {
    expect(removeEntry(q("abcd", 2), 0)).toEqual(q("bcd", 1));
    expect(removeEntry(q("abcd", 2), 3)).toEqual(q("abc", 2));
    expect(removeEntry(q("abcd", 2), 2)).toEqual(q("abd", 2));
    expect(removeEntry(q("abcd", 3), 3)).toEqual(q("abc", 2));
    expect(removeEntry(q("a", 0), 0)).toBe(EMPTY_QUEUE);
  });

  it("shuffles only what comes after the current track", () => {
    const s = shuffleUpcoming(q("abcdef", 2), seq(0.9, 0.1, 0.5));
    expect(ids(s).slice(0, 3)).toBe("abc");
    expect([...ids(s).slice(3)].sort().join("")).toBe("def");
    expect(shuffled([1, 2, 3], seq(0))).toEqual([2, 3, 1]);
  });
});

describe("next and previous", () => {
  it("moves on, stops at the end without repeat, wraps with repeat all, replays only an ended track with repeat one", () => {
    expect(nextIndex(q("abc", 0), "off", true)).toBe(1);
    expect(nextIndex(q("abc", 2), "off", true)).toBe(-1);
    expect(nextIndex(q("abc", 2), "all", true)).toBe(0);
    expect(nextIndex(q("abc", 1), "one", true)).toBe(1);
    expect(nextIndex(q("abc", 1), "one", false)).toBe(2);
    expect(nextIndex(EMPTY_QUEUE, "all", true)).toBe(-1);
  });

  it("restarts a track past three seconds, else goes back (wrapping only with repeat all)", () => {
    expect(previousIndex(q("abc", 1), "off", 5)).toBe(1);
    expect(previousIndex(q("abc", 1), "off", 1)).toBe(0);
    expect(previousIndex(q("abc", 0), "off", 1)).toBe(0);
    expect(previousIndex(q("abc", 0), "all", 1)).toBe(2);
  });

  it("cycles repeat off → all → one → off", () => {
    expect([nextRepeatMode("off"), nextRepeatMode("all"), nextRepeatMode("one")]).toEqual(["all", "one", "off"]);
  });
});
