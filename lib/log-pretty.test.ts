import pino from "pino";
import { describe, expect, it } from "vitest";
import { formatLogLine, switchableDestination } from "./log-pretty";

const plain = { color: false };

describe("formatLogLine", () => {
  it("writes time of day, level and message, then the fields as key=value", () => {
    const line = JSON.stringify({ level: 30, time: "2026-12-06T18:40:01.123Z", msg: "database migrated", applied: ["20261206_x"], plugin: "wikipedia-bios", count: 3 });
    expect(formatLogLine(line, plain)).toBe('18:40:01.123 INFO  database migrated applied=["20261206_x"] plugin=wikipedia-bios count=3');
  });

  it("quotes strings with spaces and shows an error's message with its stack below", () => {
    const err = new Error("disk full");
    const line = JSON.stringify({ level: 50, time: "2026-12-06T18:40:01.123Z", msg: "scan failed", path: "/music/My Album", err: { type: "Error", message: err.message, stack: err.stack } });
    const out = formatLogLine(line, plain).split("\n");
    expect(out[0]).toBe('18:40:01.123 ERROR scan failed err="disk full" path="/music/My Album"');
    expect(out[1]).toBe("    Error: disk full");
    expect(out.slice(2).every((l) => l.startsWith("    at "))).toBe(true);
  });

  it("colours the level only when asked", () => {
    const line = JSON.stringify({ level: 40, time: "2026-12-06T18:40:01.123Z", msg: "slow" });
    expect(formatLogLine(line, { color: true })).toContain("\x1b[33mWARN \x1b[0m");
    expect(formatLogLine(line, plain)).not.toContain("\x1b[");
  });

  it("passes through what is not a pino line", () => {
    expect(formatLogLine("plain text", plain)).toBe("plain text");
    expect(formatLogLine('{"no":"level"}', plain)).toBe('{"no":"level"}');
  });
});

describe("switchableDestination", () => {
  it("turns a real pino logger's JSON into text, and back to JSON when the mode changes", () => {
    const written: string[] = [];
    const mode = { pretty: true, color: false };
    const logger = pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, switchableDestination({ write: (s: string) => written.push(s) }, mode));
    logger.info({ user: "alice" }, "signed in");
    expect(written[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  signed in user=alice\n$/);
    mode.pretty = false;
    logger.warn("as json");
    expect(JSON.parse(written[1])).toMatchObject({ level: 40, msg: "as json" });
  });
});
