import { describe, expect, it } from "vitest";
import { createAuthThrottle } from "./rate-limit";

const opts = { pairMax: 3, pairWindowMs: 60_000, userMax: 5, userWindowMs: 60_000, sprayMax: 4, sprayWindowMs: 60_000, slowIntervalMs: 2_000, knownForMs: 3_600_000 };

describe("createAuthThrottle", () => {
  it("locks an (address, user) pair after its failures, and nobody else", () => {
    const t = createAuthThrottle(opts);
    for (let i = 0; i < 3; i++) t.recordFailure("1.1.1.1", "Alice", 0);
    expect(t.check("1.1.1.1", "alice", 10)).toBe(60);
    expect(t.check("2.2.2.2", "alice", 10)).toBe(0);
    expect(t.check("1.1.1.1", "bob", 10)).toBe(0);
    expect(t.check("1.1.1.1", "alice", 60_000)).toBe(0);
  });

  it("slows, never locks, a user failing from many addresses; addresses that signed in before are not slowed", () => {
    const t = createAuthThrottle(opts);
    t.recordSuccess("9.9.9.9", "alice", 0);
    for (let i = 0; i < 5; i++) t.recordFailure(`10.0.0.${i}`, "alice", 0);
    expect(t.check("10.0.1.1", "alice", 100)).toBe(0);
    expect(t.check("10.0.1.2", "alice", 200)).toBe(2);
    expect(t.check("10.0.1.2", "alice", 2_100)).toBe(0);
    expect(t.check("9.9.9.9", "alice", 2_200)).toBe(0);
    expect(t.check("10.0.1.3", "bob", 2_200)).toBe(0);
  });

  it("slows an address spraying many user names, except for users who signed in from it", () => {
    const t = createAuthThrottle(opts);
    t.recordSuccess("1.1.1.1", "carol", 0);
    for (let i = 0; i < 4; i++) t.recordFailure("1.1.1.1", `user${i}`, 0);
    expect(t.check("1.1.1.1", "dave", 10)).toBe(0);
    expect(t.check("1.1.1.1", "erin", 20)).toBe(2);
    expect(t.check("1.1.1.1", "carol", 30)).toBe(0);
    expect(t.check("2.2.2.2", "erin", 30)).toBe(0);
  });

  it("a success clears the pair's failures", () => {
    const t = createAuthThrottle(opts);
    for (let i = 0; i < 2; i++) t.recordFailure("1.1.1.1", "alice", 0);
    t.recordSuccess("1.1.1.1", "alice", 1);
    t.recordFailure("1.1.1.1", "alice", 2);
    expect(t.check("1.1.1.1", "alice", 3)).toBe(0);
  });

  it("keeps a known address known across successes, renewing its mark once it is a minute old", () => {
    const t = createAuthThrottle(opts);
    const slowedAt = (now: number) => {
      for (let i = 0; i < 5; i++) t.recordFailure(`10.0.0.${i}`, "alice", now);
      t.check("10.9.9.9", "alice", now); // an unknown address takes the slow slot
      return t.check("9.9.9.9", "alice", now + 1); // 0 while 9.9.9.9 is a known address
    };
    t.recordSuccess("9.9.9.9", "alice", 0);
    t.recordSuccess("9.9.9.9", "alice", 30_000); // too soon to renew: the mark still ends at 3 600 000
    expect(slowedAt(3_599_000)).toBe(0);
    expect(slowedAt(3_600_500)).toBeGreaterThan(0); // the mark ended: slowed like any unknown address

    const u = createAuthThrottle(opts);
    u.recordSuccess("9.9.9.9", "alice", 0);
    u.recordSuccess("9.9.9.9", "alice", 61_000); // renewed: known until 3 661 000
    for (let i = 0; i < 5; i++) u.recordFailure(`10.0.0.${i}`, "alice", 3_650_000);
    u.check("10.9.9.9", "alice", 3_650_000);
    expect(u.check("9.9.9.9", "alice", 3_650_001)).toBe(0);
  });

  it("stays bounded: past maxEntries the oldest entries are forgotten", () => {
    const t = createAuthThrottle({ ...opts, maxEntries: 10 });
    for (let i = 0; i < 3; i++) t.recordFailure("1.1.1.1", "alice", 0);
    for (let i = 0; i < 100; i++) t.recordFailure(`10.0.${i}.1`, `u${i}`, 0);
    expect(t.check("1.1.1.1", "alice", 1)).toBe(0);
  });
});
