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

/**
 * Makes `instanceof cls` true for instances of every bundled copy of `cls`. Next bundles
 * instrumentation.ts (which creates the plugin manager) apart from each route, so an error
 * the manager throws is an instance of another copy of its class than the one a route
 * imports. The brand is a registered symbol on the prototype; subclasses inherit the
 * parent's brand, so `instanceof` keeps its meaning along the class chain.
 */
export function brandErrorClass(cls: abstract new (...args: never[]) => Error, brand: string): void {
  const key = Symbol.for(`tessitura.error.${brand}`);
  Object.defineProperty(cls.prototype, key, { value: true });
  Object.defineProperty(cls, Symbol.hasInstance, { value: (v: unknown) => typeof v === "object" && v !== null && key in v });
}

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

brandErrorClass(AppError, "AppError");

/** A configuration problem found at start-up; the message names the key. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
