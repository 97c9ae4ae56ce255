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
  | "TOO_LARGE"
  | "INTERNAL";

/**
 * Makes `instanceof cls` true for instances of every bundled copy of `cls`. Next bundles
 * instrumentation.ts (which creates the plugin manager) apart from each route, so an error
 * the manager throws is an instance of another copy of its class than the one a route
 * imports. The brand is a registered symbol on the prototype; subclasses inherit the
 * parent's brand, so `instanceof` keeps its meaning along the class chain.
 */
const BRAND = Symbol.for("tessitura.error.brand");

export function brandErrorClass(cls: abstract new (...args: never[]) => Error, brand: string): void {
  const key = Symbol.for(`tessitura.error.${brand}`);
  Object.defineProperty(cls.prototype, key, { value: true });
  Object.defineProperty(cls, BRAND, { value: key });
  // Subclasses inherit this static method: a subclass that is not branded itself falls back
  // to ordinary prototype-chain instanceof, so it never matches its siblings' instances.
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(this: { [BRAND]?: symbol }, v: unknown): boolean {
      if (!Object.hasOwn(this, BRAND)) return Function.prototype[Symbol.hasInstance].call(this, v);
      return typeof v === "object" && v !== null && this[BRAND]! in v;
    },
  });
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
