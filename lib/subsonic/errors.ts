import { AppError } from "../errors";
import { describeStorageError } from "../db/storage-errors";
import { log } from "../log";

/** Subsonic error codes and their standard messages. */
export const SUBSONIC_ERRORS = {
  0: "A generic error.",
  10: "Required parameter is missing.",
  20: "Incompatible Subsonic REST protocol version. Client must upgrade.",
  30: "Incompatible Subsonic REST protocol version. Server must upgrade.",
  40: "Wrong username or password.",
  41: "Token authentication not supported for LDAP users.",
  42: "Provided authentication mechanism not supported.",
  43: "Multiple conflicting authentication mechanisms provided.",
  44: "Invalid API key.",
  50: "User is not authorized for the given operation.",
  70: "The requested data was not found.",
} as const;
export type SubsonicErrorCode = keyof typeof SUBSONIC_ERRORS;

export class SubsonicError extends Error {
  constructor(
    readonly code: SubsonicErrorCode,
    message?: string,
  ) {
    super(message ?? SUBSONIC_ERRORS[code]);
    this.name = "SubsonicError";
  }
}

/** The single mapping from anything thrown to a Subsonic error; unknown errors are logged, not shown. */
export function toSubsonicError(err: unknown): SubsonicError {
  if (err instanceof SubsonicError) return err;
  if (err instanceof AppError) {
    if (err.code === "NOT_FOUND") return new SubsonicError(70, err.message);
    if (err.code === "FORBIDDEN") return new SubsonicError(50, err.message);
    if (err.code === "INVALID_INPUT") return new SubsonicError(10, err.message);
    return new SubsonicError(0, err.message);
  }
  const storage = describeStorageError(err);
  if (storage) {
    log.error({ err }, storage);
    return new SubsonicError(0, storage);
  }
  log.error({ err }, "unhandled error in Subsonic handler");
  return new SubsonicError(0, "Internal Server Error");
}
