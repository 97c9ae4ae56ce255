import pino from "pino";
import { remember } from "@/lib/server/remember";

/**
 * Installs the process logger before anything imports lib/log.ts (which keeps the first
 * logger remembered). `ndp` prints the plugin's own log lines itself; the host's warnings
 * (e.g. a callback arriving after the run ended) would only be noise, so errors only, on stderr.
 */
remember("log", () => pino({ level: "error", base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2)));
