import { describe, expect, it } from "vitest";
import { DEFAULT_HEARTBEAT_MS, PlaybackReporter, scrobbleThresholdMs, type PlaybackReport, type ReporterTimer } from "./reporter";

/** A manual clock: intervals fire only when the test advances time. */
function fakeTimer() {
  let now = 0;
  let nextId = 1;
  const intervals = new Map<number, { fn: () => void; ms: number; due: number }>();
  const timer: ReporterTimer = {
    setInterval(fn, ms) {
      const id = nextId++;
      intervals.set(id, { fn, ms, due: now + ms });
      return id;
    },
    clearInterval(h) {
      intervals.delete(h as number);
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const next = [...intervals.values()].filter((i) => i.due <= end).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      now = next.due;
      next.due += next.ms;
      next.fn();
    }
    now = end;
  };
  return { timer, advance, active: () => intervals.size };
}

function setup(heartbeatMs = 1000) {
  const sent: PlaybackReport[] = [];
  let position = 0;
  const clock = fakeTimer();
  const reporter = new PlaybackReporter({ send: async (r) => sent.push(r), position: () => position, heartbeatMs, timer: clock.timer });
  return { sent, reporter, clock, at: (s: number) => (position = s) };
}

const states = (sent: PlaybackReport[]) => sent.map((r) => `${r.state}@${r.positionMs}`);

describe("PlaybackReporter", () => {
  it("reports starting, heartbeats while playing, paused, resumed as playing, then stopped", async () => {
    const { sent, reporter, clock, at } = setup();
    reporter.played("t1", 0);
    at(1);
    clock.advance(1000);
    at(2.5);
    clock.advance(1000);
    reporter.paused(2.6);
    clock.advance(5000); // no heartbeats while paused
    reporter.played("t1", 2.6);
    reporter.stopped(8);
    clock.advance(5000); // nor after the stop
    await reporter.flushed();
    expect(states(sent)).toEqual(["starting@0", "playing@1000", "playing@2500", "paused@2600", "playing@2600", "stopped@8000"]);
    expect(sent.every((r) => r.mediaId === "t1")).toBe(true);
    expect(clock.active()).toBe(0);
  });

  it("closes the previous track's session when another one starts", async () => {
    const { sent, reporter } = setup();
    reporter.played("t1", 0);
    reporter.played("t2", 0);
    await reporter.flushed();
    expect(sent.map((r) => `${r.mediaId}:${r.state}`)).toEqual(["t1:starting", "t1:stopped", "t2:starting"]);
    expect(reporter.current).toBe("t2");
  });

  it("sends nothing for a pause or stop without a session", async () => {
    const { sent, reporter } = setup();
    reporter.paused(3);
    reporter.stopped(3);
    await reporter.flushed();
    expect(sent).toEqual([]);
  });

  it("delivers reports one at a time, in order, even when one fails", async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const reporter = new PlaybackReporter({
      position: () => 0,
      timer: fakeTimer().timer,
      send: async (r) => {
        order.push(`begin ${r.state}`);
        if (r.state === "starting") await gate;
        if (r.state === "paused") throw new Error("network down");
        order.push(`end ${r.state}`);
      },
    });
    reporter.played("t", 0);
    reporter.paused(1);
    reporter.stopped(2);
    await Promise.resolve();
    expect(order).toEqual(["begin starting"]);
    release();
    await reporter.flushed();
    expect(order).toEqual(["begin starting", "end starting", "begin paused", "begin stopped", "end stopped"]);
  });

  it("uses Navidrome's 30 s heartbeat unless told otherwise", async () => {
    const clock = fakeTimer();
    const sent: PlaybackReport[] = [];
    const reporter = new PlaybackReporter({ send: async (r) => sent.push(r), position: () => 0, timer: clock.timer });
    reporter.played("t", 0);
    clock.advance(DEFAULT_HEARTBEAT_MS - 1);
    await reporter.flushed();
    expect(states(sent)).toEqual(["starting@0"]);
    clock.advance(1);
    await reporter.flushed();
    expect(states(sent)).toEqual(["starting@0", "playing@0"]);
  });

  it("mirrors the server's scrobble threshold: half the track, at most four minutes", () => {
    expect(scrobbleThresholdMs(8000)).toBe(4000);
    expect(scrobbleThresholdMs(600_000)).toBe(240_000);
  });
});
