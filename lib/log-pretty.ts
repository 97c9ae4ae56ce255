/**
 * Human-readable log lines for a terminal (issue #17): pino writes JSON, and when the
 * output is a TTY (or `LogFormat = "text"`) each JSON line is rewritten as
 *
 *     18:40:01.123 INFO  database migrated applied=["20261206_x"] plugin=wikipedia-bios
 *
 * with the level coloured and an error's stack on the lines below. No dependency
 * (pino-pretty is not installed); anything that is not a pino line passes through as is.
 */

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: "TRACE", color: "\x1b[90m" },
  20: { name: "DEBUG", color: "\x1b[36m" },
  30: { name: "INFO", color: "\x1b[32m" },
  40: { name: "WARN", color: "\x1b[33m" },
  50: { name: "ERROR", color: "\x1b[31m" },
  60: { name: "FATAL", color: "\x1b[35m" },
};
const RESET = "\x1b[0m";
const DIM = "\x1b[2m";

export interface PrettyOptions {
  /** ANSI colours (on for a colour terminal). */
  color: boolean;
}

/** `key=value`, quoting strings that would be ambiguous and writing objects as JSON. */
function field(key: string, value: unknown): string {
  if (typeof value === "string") return `${key}=${/^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)}`;
  return `${key}=${JSON.stringify(value)}`;
}

/** The time of day of an ISO timestamp (the date is noise on a terminal); other values as given. */
function clock(time: unknown): string {
  if (typeof time === "string" && /T\d\d:\d\d:\d\d/.test(time)) return time.slice(time.indexOf("T") + 1, time.indexOf("T") + 13);
  if (typeof time === "number") return new Date(time).toISOString().slice(11, 23);
  return "";
}

/** Formats one pino JSON line (without its newline); a line that is not one is answered unchanged. */
export function formatLogLine(line: string, opts: PrettyOptions): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line);
  } catch {
    return line;
  }
  if (!rec || typeof rec !== "object" || typeof rec.level !== "number") return line;
  const { level, time, msg, err, ...rest } = rec as { level: number; time?: unknown; msg?: unknown; err?: unknown } & Record<string, unknown>;
  const lv = LEVELS[level] ?? { name: String(level), color: "" };
  const paint = (code: string, text: string) => (opts.color && code ? `${code}${text}${RESET}` : text);
  const parts = [paint(DIM, clock(time)), paint(lv.color, lv.name.padEnd(5)), typeof msg === "string" ? msg : ""].filter(Boolean);
  const e = err && typeof err === "object" ? (err as { message?: unknown; stack?: unknown; type?: unknown }) : undefined;
  if (e?.message !== undefined) parts.push(field("err", String(e.message)));
  else if (err !== undefined) parts.push(field("err", err));
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) parts.push(paint(DIM, field(k, v)));
  const stack = typeof e?.stack === "string" ? `\n${e.stack.split("\n").map((l) => `    ${l.trim()}`).join("\n")}` : "";
  return parts.join(" ") + stack;
}

/**
 * A pino destination that writes `text` or JSON to `out` by the current mode; the mode can
 * change after start-up (the config file is read after the logger exists).
 */
export function switchableDestination(out: { write(s: string): unknown }, mode: { pretty: boolean; color: boolean }) {
  return {
    write(chunk: string) {
      if (!mode.pretty) return out.write(chunk);
      const lines = chunk.split("\n");
      const text = lines.map((l) => (l ? formatLogLine(l, mode) : l)).join("\n");
      return out.write(text);
    },
  };
}
