import { CronExpressionParser } from "cron-parser";
import { parseGoDuration } from "./go-duration";

/**
 * Recurring-schedule expressions as Navidrome parses them (contract §4.3): its
 * `ParseCrontab` in front of robfig/cron/v3's parser with seconds optional and
 * descriptors. Parsing reproduces robfig's rules and error texts; the next activation of
 * a field schedule is computed by cron-parser from the parsed field sets, with robfig's
 * day-of-month/day-of-week rule (AND when either is `*`/`?`, otherwise OR).
 */
export interface CronSchedule {
  /** Next activation strictly after `afterMs` (epoch ms), or null when there is none. */
  next(afterMs: number): number | null;
  /** What the admin page shows: the normalised six fields, or the descriptor. */
  readonly description: string;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
/** Second, minute, hour, day of month, month, day of week. */
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

/** A parsed field: the values it allows, and robfig's "star bit" (`*` or `?` without a step). */
interface FieldSet {
  values: Set<number>;
  star: boolean;
}

/** Parses a recurring-schedule expression; the error message is what follows `failed to schedule task: `. */
export function parseCronSchedule(spec: string): CronSchedule {
  if (spec === "") throw new Error("empty spec string");
  try {
    parseGoDuration(spec);
    spec = `@every ${spec}`;
  } catch {
    // not a bare duration
  }
  if (!spec.includes("~")) return parseRobfig(spec);

  let tzPrefix = "";
  if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
    const i = spec.indexOf(" ");
    if (i === -1) throw new Error("missing spec after timezone");
    tzPrefix = `${spec.slice(0, i)} `;
    spec = spec.slice(i).trim();
  }
  if (spec.startsWith("@")) throw new Error(`random ~ syntax cannot be used with descriptors: ${spec}`);
  let fields = goFields(spec);
  if (fields.length === 5) fields = ["0", ...fields];
  else if (fields.length !== 6) throw new Error(`expected 5 or 6 fields, found ${fields.length}: [${fields.join(" ")}]`);
  fields = fields.map((field, i) => {
    if (!field.includes("~")) return field;
    if (/[,/]/.test(field)) throw new Error(`random ~ cannot be combined with lists or steps: ${field}`);
    return String(resolveRandomField(field, FIELDS[i]));
  });
  return parseRobfig(tzPrefix + fields.join(" "));
}

/** crontab(5) `a~b`: a random value in [a, b] (bounds default to the field's), drawn once. */
function resolveRandomField(field: string, b: Bounds): number {
  const [lo, hi] = [field.slice(0, field.indexOf("~")), field.slice(field.indexOf("~") + 1)];
  let min = b.min;
  let max = b.max;
  if (lo !== "") {
    if (!/^\d+$/.test(lo)) throw new Error(`invalid random range start: ${lo}`);
    min = Number(lo);
  }
  if (hi !== "") {
    if (!/^\d+$/.test(hi)) throw new Error(`invalid random range end: ${hi}`);
    max = Number(hi);
  }
  if (min < b.min) throw new Error(`random range start (${min}) below minimum (${b.min}): ${field}`);
  if (max > b.max) throw new Error(`random range end (${max}) above maximum (${b.max}): ${field}`);
  if (min > max) throw new Error(`random range start (${min}) beyond end (${max}): ${field}`);
  return min + Math.floor(Math.random() * (max - min + 1));
}

/** Go's strings.Fields. */
function goFields(s: string): string[] {
  return s.split(/[\s\u0085\u00a0]+/u).filter((f) => f !== "");
}

const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Go's time.LoadLocation for the names Intl knows; "" and "UTC" are UTC, "Local" the server's zone. */
function loadLocation(name: string): string {
  if (name === "" || name === "UTC") return "UTC";
  if (name === "Local") return localZone();
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return name;
  } catch {
    throw new Error(`provided bad location ${name}: unknown time zone ${name}`);
  }
}

function parseRobfig(spec: string): CronSchedule {
  if (spec.length === 0) throw new Error("empty spec string");
  let tz: string | null = null;
  if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
    const i = spec.indexOf(" ");
    if (i === -1) throw new Error("missing spec after timezone");
    tz = loadLocation(spec.slice(spec.indexOf("=") + 1, i));
    spec = spec.slice(i).trim();
  }
  if (spec.startsWith("@")) return parseDescriptor(spec, tz);
  let fields = goFields(spec);
  if (fields.length < 5 || fields.length > 6) throw new Error(`expected 5 to 6 fields, found ${fields.length}: [${fields.join(" ")}]`);
  if (fields.length === 5) fields = ["0", ...fields];
  return fieldSchedule(
    fields.map((f, i) => parseField(f, FIELDS[i])),
    tz,
    fields.join(" "),
  );
}

function all(b: Bounds, star = true): FieldSet {
  const values = new Set<number>();
  for (let v = b.min; v <= b.max; v++) values.add(v);
  return { values, star };
}
const only = (v: number): FieldSet => ({ values: new Set([v]), star: false });

function parseDescriptor(descriptor: string, tz: string | null): CronSchedule {
  const [, , hour, dom, month, dow] = FIELDS;
  const spec = (fields: FieldSet[]) => fieldSchedule(fields, tz, descriptor);
  switch (descriptor) {
    case "@yearly":
    case "@annually":
      return spec([only(0), only(0), only(0), only(1), only(1), all(dow)]);
    case "@monthly":
      return spec([only(0), only(0), only(0), only(1), all(month), all(dow)]);
    case "@weekly":
      return spec([only(0), only(0), only(0), all(dom), all(month), only(0)]);
    case "@daily":
    case "@midnight":
      return spec([only(0), only(0), only(0), all(dom), all(month), all(dow)]);
    case "@hourly":
      return spec([only(0), only(0), all(hour), all(dom), all(month), all(dow)]);
  }
  if (descriptor.startsWith("@every ")) {
    let ns: bigint;
    try {
      ns = parseGoDuration(descriptor.slice("@every ".length));
    } catch (err) {
      throw new Error(`failed to parse duration ${descriptor}: ${(err as Error).message}`);
    }
    // robfig's Every(): at least one second, truncated to whole seconds.
    const seconds = ns < 1_000_000_000n ? 1n : ns / 1_000_000_000n;
    const delayMs = Number(seconds) * 1000;
    return {
      description: descriptor,
      // ConstantDelaySchedule.Next: t + delay, rounded down to the second.
      next: (after) => after - (((after % 1000) + 1000) % 1000) + delayMs,
    };
  }
  throw new Error(`unrecognized descriptor: ${descriptor}`);
}

/** robfig's getField: comma-separated ranges (empty parts skipped). */
function parseField(field: string, b: Bounds): FieldSet {
  const set: FieldSet = { values: new Set(), star: false };
  for (const expr of field.split(",").filter((e) => e !== "")) {
    const r = parseRange(expr, b);
    for (const v of r.values) set.values.add(v);
    set.star ||= r.star;
  }
  return set;
}

function parseRange(expr: string, b: Bounds): FieldSet {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0].split("-");
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let step: number;
  let star = false;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    [start, end, star] = [b.min, b.max, true];
  } else {
    start = parseIntOrName(lowAndHigh[0], b.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], b.names);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  if (rangeAndStep.length === 1) step = 1;
  else if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]);
    if (singleDigit) end = b.max; // "N/step" means "N-max/step"
    if (step > 1) star = false;
  } else throw new Error(`too many slashes: ${expr}`);
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  const values = new Set<number>();
  for (let v = start; v <= end; v += step) values.add(v);
  return { values, star };
}

function parseIntOrName(expr: string, names?: Record<string, number>): number {
  const named = names?.[expr.toLowerCase()];
  return named ?? mustParseInt(expr);
}

/** strconv.Atoi plus robfig's negative check, with their messages. */
function mustParseInt(expr: string): number {
  const quoted = JSON.stringify(expr);
  if (!/^[+-]?\d+$/.test(expr)) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${quoted}: invalid syntax`);
  const n = BigInt(expr);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${quoted}: value out of range`);
  if (n < 0n) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return Number(n);
}

/** A field schedule whose next time cron-parser computes; an empty field never fires. */
function fieldSchedule(fields: FieldSet[], tz: string | null, description: string): CronSchedule {
  const expr = fields.map((f) => (f.star ? "*" : [...f.values].sort((a, b) => a - b).join(","))).join(" ");
  const never = fields.some((f) => f.values.size === 0);
  return {
    description,
    next(after) {
      if (never) return null;
      try {
        return CronExpressionParser.parse(expr, { currentDate: new Date(after), tz: tz ?? localZone() }).next().getTime();
      } catch {
        return null; // e.g. 30 February: robfig finds no time either and never runs it
      }
    },
  };
}
