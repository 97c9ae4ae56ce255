import { brandErrorClass } from "../errors";

/** How a scrobbler failure is handled (contract §3.2): only `retry_later` keeps a buffered scrobble. */
export type ScrobblerErrorKind = "not_authorized" | "retry_later" | "unrecoverable";

/** A scrobbler delivery failure, classified; `cause` is the plugin's error. */
export class ScrobblerError extends Error {
  constructor(
    readonly kind: ScrobblerErrorKind,
    message: string,
    opts?: { cause?: unknown },
  ) {
    super(message, opts);
    this.name = "ScrobblerError";
  }
}
brandErrorClass(ScrobblerError, "ScrobblerError");

/** Tokens searched for in the whole error text, in this order (contract §3.2). */
const TOKENS: [string, ScrobblerErrorKind][] = [
  ["scrobbler(not_authorized)", "not_authorized"],
  ["scrobbler(retry_later)", "retry_later"],
  ["scrobbler(unrecoverable)", "unrecoverable"],
];

/**
 * Navidrome's `mapScrobblerError`: plugins report failures as text, so the kind is found
 * by substring; anything without a token (missing export, timeout, `-1` without message)
 * is unrecoverable.
 */
export function toScrobblerError(err: unknown): ScrobblerError {
  if (err instanceof ScrobblerError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const kind = TOKENS.find(([token]) => message.includes(token))?.[1] ?? "unrecoverable";
  return new ScrobblerError(kind, message, { cause: err });
}
