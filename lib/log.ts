import pino, { type Logger } from "pino";
import { switchableDestination } from "./log-pretty";
import { remember } from "./server/remember";

export type { Logger };

/** `LogFormat`: "auto" (readable text on a terminal, JSON otherwise), "text" or "json". */
export type LogFormat = "auto" | "text" | "json";

/** Whether a format means readable text on this process's stdout. */
function prettyFor(format: string | undefined): boolean {
  const f = (format ?? "auto").toLowerCase();
  return f === "text" || (f !== "json" && process.stdout.isTTY === true);
}

const mode = remember("logMode", () => ({ pretty: prettyFor(process.env.ND_LOGFORMAT), color: process.stdout.isTTY === true && !process.env.NO_COLOR }));

/**
 * The server's structured logger. Level comes from `LogLevel` (set at boot via
 * setLogLevel); children carry context such as `{ plugin: id }`. Lines are JSON, or
 * readable text on a terminal (lib/log-pretty; `LogFormat`, env `ND_LOGFORMAT`).
 */
export const log: Logger = remember("log", () =>
  pino(
    {
      level: process.env.ND_LOGLEVEL?.toLowerCase() ?? "info",
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      // Credentials never reach the log, whatever a caller passes in.
      redact: { paths: ["password", "*.password", "token", "*.token", "p", "t", "apiKey", "config", "*.config"], censor: "[redacted]" },
    },
    switchableDestination(process.stdout, mode),
  ),
);

export function setLogLevel(level: string): void {
  log.level = level;
}

/** Applies `LogFormat` from the configuration (the logger exists before the config is read). */
export function setLogFormat(format: LogFormat): void {
  mode.pretty = prettyFor(format);
}
