import { describe, expect, it } from "vitest";
import { parseCronSchedule } from "./cron";
import { parseGoDuration } from "./go-duration";

process.env.TZ = "UTC";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe("parseGoDuration", () => {
  it.each([
    ["5m", 300_000_000_000n],
    ["1h30m", 5_400_000_000_000n],
    ["1.5s", 1_500_000_000n],
    ["-2s", -2_000_000_000n],
    ["0", 0n],
    ["300ms", 300_000_000n],
    ["10µs", 10_000n],
  ])("parses %s", (text, ns) => expect(parseGoDuration(text)).toBe(ns));

  it.each([
    ["", 'time: invalid duration ""'],
    ["5", 'time: missing unit in duration "5"'],
    ["5x", 'time: unknown unit "x" in duration "5x"'],
    ["x", 'time: invalid duration "x"'],
    [".s", 'time: invalid duration ".s"'],
  ])("rejects %j with Go's text", (text, message) => expect(() => parseGoDuration(text)).toThrow(message));
});

describe("parseCronSchedule", () => {
  it.each([
    ["5 fields, minute steps", "*/15 * * * *", "2024-05-01T10:07:30Z", "2024-05-01T10:15:00.000Z"],
    ["6 fields with seconds", "*/10 * * * * *", "2024-05-01T10:07:31Z", "2024-05-01T10:07:40.000Z"],
    ["month and day names", "0 0 12 * jan-mar MON", "2024-05-01T10:00:00Z", "2025-01-06T12:00:00.000Z"],
    ["@hourly", "@hourly", "2024-05-01T10:07:31Z", "2024-05-01T11:00:00.000Z"],
    ["@daily", "@daily", "2024-05-01T10:07:31Z", "2024-05-02T00:00:00.000Z"],
    ["@midnight", "@midnight", "2024-05-01T10:07:31Z", "2024-05-02T00:00:00.000Z"],
    ["@weekly (Sunday)", "@weekly", "2024-05-01T10:07:31Z", "2024-05-05T00:00:00.000Z"],
    ["@monthly", "@monthly", "2024-05-01T10:07:31Z", "2024-06-01T00:00:00.000Z"],
    ["@yearly", "@yearly", "2024-05-01T10:07:31Z", "2025-01-01T00:00:00.000Z"],
    ["@annually", "@annually", "2024-05-01T10:07:31Z", "2025-01-01T00:00:00.000Z"],
    ["@every, rounded down to the second", "@every 1m30s", "2024-05-01T10:00:00.700Z", "2024-05-01T10:01:30.000Z"],
    ["@every under a second is one second", "@every 100ms", "2024-05-01T10:00:00.700Z", "2024-05-01T10:00:01.000Z"],
    ["bare Go duration", "90s", "2024-05-01T10:00:00Z", "2024-05-01T10:01:30.000Z"],
    ["bare 0 is @every 0 ⇒ 1 s", "0", "2024-05-01T10:00:00Z", "2024-05-01T10:00:01.000Z"],
    ["? in day fields", "0 0 9 ? * 1", "2024-05-01T10:00:00Z", "2024-05-06T09:00:00.000Z"],
    ["N/step means N-max/step", "0 50/5 * * * *", "2024-05-01T10:56:00Z", "2024-05-01T11:50:00.000Z"],
    ["dom and dow both restricted: either matches", "0 0 0 15 * 1", "2024-05-01T10:00:00Z", "2024-05-06T00:00:00.000Z"],
    ["dom restricted, dow */1 (star): dom only", "0 0 0 15 * */1", "2024-05-01T10:00:00Z", "2024-05-15T00:00:00.000Z"],
    ["dom restricted, dow */2 (not star): either", "0 0 0 15 * */2", "2024-05-01T10:00:00Z", "2024-05-02T00:00:00.000Z"],
    ["TZ= prefix", "TZ=America/New_York 0 0 9 * * *", "2024-05-01T12:00:00Z", "2024-05-01T13:00:00.000Z"],
    ["CRON_TZ= prefix with descriptor", "CRON_TZ=Asia/Tokyo @daily", "2024-05-01T12:00:00Z", "2024-05-01T15:00:00.000Z"],
  ])("%s: %s", (_, spec, from, next) => {
    expect(iso(parseCronSchedule(spec).next(at(from)))).toBe(next);
  });

  it("never fires a schedule with no matching day, as robfig", () => {
    expect(parseCronSchedule("0 0 0 30 2 *").next(at("2024-01-01T00:00:00Z"))).toBeNull();
  });

  it("resolves crontab random syntax once, within the range", () => {
    const s = parseCronSchedule("0 10~20 3 * * *");
    const first = s.next(at("2024-05-01T00:00:00Z"))!;
    const minute = new Date(first).getUTCMinutes();
    expect(minute).toBeGreaterThanOrEqual(10);
    expect(minute).toBeLessThanOrEqual(20);
    expect(new Date(s.next(first)!).getUTCMinutes()).toBe(minute);
  });

  it.each([
    ["", "empty spec string"],
    ["* * *", "expected 5 to 6 fields, found 3: [* * *]"],
    ["* * * * * * *", "expected 5 to 6 fields, found 7: [* * * * * * *]"],
    ["60 * * * *", "end of range (60) above maximum (59): 60"],
    ["* * * 0 *", "beginning of range (0) below minimum (1): 0"],
    ["* * * * * 7", "end of range (7) above maximum (6): 7"],
    ["5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"],
    ["*/0 * * * *", "step of range should be a positive number: */0"],
    ["1-2-3 * * * *", "too many hyphens: 1-2-3"],
    ["*/2/3 * * * *", "too many slashes: */2/3"],
    ["x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ["@often", "unrecognized descriptor: @often"],
    ["@every 5x", 'failed to parse duration @every 5x: time: unknown unit "x" in duration "5x"'],
    ["TZ=Mars/Base * * * * *", "provided bad location Mars/Base: unknown time zone Mars/Base"],
    ["0 1~2,5 * * * *", "random ~ cannot be combined with lists or steps: 1~2,5"],
    ["0 5~1 * * * *", "random range start (5) beyond end (1): 5~1"],
    ["0 0~99 * * * *", "random range end (99) above maximum (59): 0~99"],
    ["0 a~5 * * * *", "invalid random range start: a"],
    ["* ~ *", "expected 5 or 6 fields, found 3: [* ~ *]"],
    ["@daily ~", "random ~ syntax cannot be used with descriptors: @daily ~"],
  ])("rejects %j: %s", (spec, message) => expect(() => parseCronSchedule(spec)).toThrow(message));
});
