import "server-only";
import { z } from "zod";
import { AUTH_HEADER, authenticateRequest, tokenFor, type Session } from "../auth/session";
import { describeStorageError } from "../db/storage-errors";
import { AppError, type AppErrorCode } from "../errors";
import { log } from "../log";
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
  if (!origin) throw new AppError("FORBIDDEN", "cross-site request refused");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError("FORBIDDEN", "cross-site request refused");
  }
  if (originHost !== host) throw new AppError("FORBIDDEN", "cross-site request refused");
}

async function readBody(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("INVALID_INPUT", "request body is not valid JSON");
  }
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
      const raw = opts.body ? await readBody(req) : undefined;
      const body = (opts.body ? opts.body.parse(raw) : undefined) as B extends z.ZodType ? z.infer<B> : undefined;
      const params = ((await segment?.params) ?? {}) as P;
      const res = await handler({ req, body, params, session });
      if (session?.via === "header") res.headers.set(AUTH_HEADER, await tokenFor(session.user));
      return res;
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export function clientIp(req: Request): string {
  return req.headers.get("x-forwarded-for")?.split(",")[0].trim() || req.headers.get("x-real-ip") || "local";
}

export function isSecure(req: Request): boolean {
  return req.headers.get("x-forwarded-proto") === "https" || new URL(req.url).protocol === "https:";
}
