import "server-only";
import { z } from "zod";
import { AUTH_HEADER, authenticateRequest, tokenFor, type Session } from "../auth/session";
import { describeStorageError } from "../db/storage-errors";
import { AppError, type AppErrorCode } from "../errors";
import { log } from "../log";
import { clientAddress, viaTrustedProxy } from "./client-address";
import { BODY_LIMITS, parseJsonBody, readTextLimited } from "./body";
import { errorBody, json } from "./respond";

const STATUS: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  UNPROCESSABLE: 422,
  TOO_LARGE: 413,
  INTERNAL: 500,
};

type Auth = "none" | "user" | "admin";

export interface RouteContext<B, P> {
  req: Request;
  body: B;
  params: P;
  session: Session | null;
}

interface RouteOptions<B extends z.ZodType | undefined> {
  auth: Auth;
  body?: B;
}

/** Turns any thrown value into the JSON error response; unknown errors are logged, never shown. */
export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) {
    const headers = err.retryAfter ? { "Retry-After": String(err.retryAfter) } : undefined;
    return json(errorBody(err.message, err.fields), { status: STATUS[err.code], headers });
  }
  if (err instanceof z.ZodError) {
    const fields = Object.fromEntries(err.issues.map((i) => [i.path.join(".") || "_", i.message]));
    return json(errorBody("invalid request", fields), { status: 400 });
  }
  const code = (err as { code?: string })?.code ?? "";
  if (code.startsWith("SQLITE_BUSY") || code === "P1008") {
    log.warn({ err }, "database busy");
    return json(errorBody("the database is busy; try again"), { status: 503, headers: { "Retry-After": "1" } });
  }
  const storage = describeStorageError(err);
  if (storage) {
    log.error({ err }, storage);
    return json(errorBody(storage), { status: 507 });
  }
  log.error({ err }, "unhandled error in route handler");
  return json(errorBody("internal server error"), { status: 500 });
}

/**
 * Browsers send cookies on cross-site form posts; a cookie-authenticated write must come
 * from our own origin. Header-token clients (scripts, the Navidrome API) are not affected.
 */
function assertSameOrigin(req: Request) {
  const origin = req.headers.get("origin") ?? req.headers.get("referer");
  if (!origin || !isSameOrigin(req, origin)) throw new AppError("FORBIDDEN", "cross-site request refused");
}

function isSameOrigin(req: Request, origin: string): boolean {
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Writes that carry no header token are refused from another site's page even without a
 * cookie (login CSRF: a hostile page posting credentials as `text/plain`): browsers send
 * `Origin` on every cross-origin POST, while scripts and Subsonic tools send none. A
 * header token is never ambient, so its requests may come from anywhere.
 */
function assertNotCrossSite(req: Request) {
  const origin = req.headers.get("origin");
  // An opaque origin ("null": sandboxed frames, some redirects) fails the host comparison too.
  if (origin !== null && !isSameOrigin(req, origin)) throw new AppError("FORBIDDEN", "cross-site request refused");
}

/** A body must be declared JSON: `text/plain` and form bodies are what a cross-site form can send. */
function assertJsonBody(req: Request) {
  const type = req.headers.get("content-type");
  if (type !== null && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) throw new AppError("INVALID_INPUT", "request body must be JSON (Content-Type: application/json)");
}

async function readBody(req: Request): Promise<unknown> {
  const text = await readTextLimited(req, BODY_LIMITS.json);
  if (!text) return {};
  return parseJsonBody(text);
}

/**
 * Wraps a route handler: authentication and role check, CSRF check for cookie writes,
 * body parsing with one Zod schema, error translation, and Navidrome's sliding token
 * refresh (`x-nd-authorization` response header).
 */
export function route<B extends z.ZodType | undefined = undefined, P = Record<string, string>>(
  opts: RouteOptions<B>,
  handler: (ctx: RouteContext<B extends z.ZodType ? z.infer<B> : undefined, P>) => Promise<Response>,
) {
  return async (req: Request, segment: { params: Promise<P> }): Promise<Response> => {
    try {
      const session = opts.auth === "none" ? await authenticateRequest(req).catch(() => null) : await authenticateRequest(req);
      if (opts.auth !== "none") {
        if (!session) throw new AppError("UNAUTHENTICATED", "not authenticated");
        if (opts.auth === "admin" && !session.user.isAdmin) throw new AppError("FORBIDDEN", "admin only");
        if (session.via === "cookie" && !["GET", "HEAD", "OPTIONS"].includes(req.method)) assertSameOrigin(req);
      }
      if (!["GET", "HEAD", "OPTIONS"].includes(req.method) && session?.via !== "header") assertNotCrossSite(req);
      if (opts.body) assertJsonBody(req);
      const raw = opts.body ? await readBody(req) : undefined;
      const body = (opts.body ? opts.body.parse(raw) : undefined) as B extends z.ZodType ? z.infer<B> : undefined;
      const params = ((await segment?.params) ?? {}) as P;
      const res = await handler({ req, body, params, session });
      // A handler that issued its own token (a password change bumps the token generation) keeps it.
      if (session?.via === "header" && !res.headers.has(AUTH_HEADER)) res.headers.set(AUTH_HEADER, await tokenFor(session.user, session));
      return res;
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/** The client address (socket, or a trusted proxy's forwarding header): lib/http/client-address. */
export function clientIp(req: Request): string {
  return clientAddress(req);
}

export function isSecure(req: Request): boolean {
  return new URL(req.url).protocol === "https:" || (viaTrustedProxy(req) && req.headers.get("x-forwarded-proto") === "https");
}
