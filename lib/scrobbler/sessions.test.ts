import { describe, expect, it } from "vitest";
import type { Clock } from "../server/clock";
import type { PlaybackSession } from "./scrobbler";
import { PlaybackSessions, remainingTtlMs } from "./sessions";

/** A clock whose time only moves when told to. */
function fakeClock() {
  let now = 0;
  const timers: { at: number; fn: () => void; live: boolean }[] = [];
  const clock: Clock = {
    now: () => new Date(now),
    setTimer(fn, ms) {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return { cancel: () => void (t.live = false) };
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.live && x.at <= now)) {
      t.live = false;
      t.fn();
    }
  };
  return { clock, advance };
}

const session = (id: string) => ({ track: { id } }) as unknown as PlaybackSession;

describe("remainingTtlMs", () => {
  it.each([
    // duration s, position ms, rate, grace → ttl
    [240, 0, 1, 5000, 245_000],
    [240, 60_000, 1, 5000, 185_000],
    [240, 60_000, 2, 5000, 95_000],
    [240, 60_500, 1, 5000, 184_000], // whole seconds, rounded down
    [240, 300_000, 1, 5000, 5000], // past the end: just the grace
    [240, 60_000, 0, 5000, 185_000], // rate ≤ 0 counts as 1
    [243.13, 0, 1, 5000, 248_000],
  ])("a %s s track at %s ms, rate %s: %s ms", (duration, position, rate, grace, ttl) => {
    expect(remainingTtlMs(duration, position, rate, grace)).toBe(ttl);
  });
});

describe("PlaybackSessions", () => {
  it("reports a session whose time runs out, once", () => {
    const { clock, advance } = fakeClock();
    const expired: string[] = [];
    const sessions = new PlaybackSessions(clock, (s) => expired.push(s.track.id));
    sessions.put("p1", session("a"), 1000);
    advance(999);
    expect(expired).toEqual([]);
    advance(1);
    expect(expired).toEqual(["a"]);
    expect(sessions.get("p1")).toBeUndefined();
    advance(5000);
    expect(expired).toEqual(["a"]);
  });

  it("restarts the time when a session is replaced, and never reports removed or cleared ones", () => {
    const { clock, advance } = fakeClock();
    const expired: string[] = [];
    const sessions = new PlaybackSessions(clock, (s) => expired.push(s.track.id));
    sessions.put("p1", session("a"), 1000);
    advance(800);
    sessions.put("p1", session("b"), 1000);
    advance(800);
    expect(expired).toEqual([]);
    advance(200);
    expect(expired).toEqual(["b"]);

    sessions.put("p2", session("c"), 1000);
    sessions.remove("p2");
    sessions.put("p3", session("d"), 1000);
    sessions.clear();
    advance(2000);
    expect(expired).toEqual(["b"]);
  });
});
