/** Error codes the core throws; the HTTP and Subsonic edges translate them once each. */
export type AppErrorCode =
  | "NOT_FOUND"
  | "INVALID_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "UNPROCESSABLE"
  | "INTERNAL";

/** A failure the caller may see: its message is safe to show. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Per-field messages for form errors, keyed by field path. */
  readonly fields?: Record<string, string>;
  /** Seconds after which a rate-limited caller may retry. */
  readonly retryAfter?: number;

  constructor(code: AppErrorCode, message: string, opts: { cause?: unknown; fields?: Record<string, string>; retryAfter?: number } = {}) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.fields = opts.fields;
    this.retryAfter = opts.retryAfter;
  }
}

/** A configuration problem found at start-up; the message names the key. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
