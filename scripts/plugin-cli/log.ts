import pino from "pino";
import { remember } from "@/lib/server/remember";

/**
 * Installs the process logger before anything imports lib/log.ts (which keeps the first
 * logger remembered): the server's logger writes to stdout, which carries the CLI's
 * output, so the CLI's goes to stderr, quiet unless something is wrong.
 */
remember("log", () => pino({ level: "warn", base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2)));
