import pino, { type Logger } from "pino";
import { remember } from "./server/remember";

export type { Logger };

/**
 * The server's structured logger. Level comes from `LogLevel` (set at boot via
 * setLogLevel); children carry context such as `{ plugin: id }`.
 */
export const log: Logger = remember("log", () =>
  pino({
    level: process.env.ND_LOGLEVEL?.toLowerCase() ?? "info",
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    // Credentials never reach the log, whatever a caller passes in.
    redact: { paths: ["password", "*.password", "token", "*.token", "p", "t", "apiKey", "config", "*.config"], censor: "[redacted]" },
  }),
);

export function setLogLevel(level: string): void {
  log.level = level;
}
