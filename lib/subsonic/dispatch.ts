import "server-only";
import type { User as UserRow } from "../db/rows";
import { AppError } from "../errors";
import { BODY_LIMITS, readTextLimited } from "../http/body";
import { userByName } from "../auth/credential-cache";
import { authenticateSubsonic } from "./auth";
import type { SubsonicContext } from "./context";
import { SubsonicError, toSubsonicError } from "./errors";
import { Params } from "./params";
import { chooseFormat, renderBody, renderError } from "./respond";
import { publicMethods, routes } from "./routes";

/** `/rest/getAlbum.view` → `getAlbum`. */
export function methodName(pathname: string): string {
  const trimmed = pathname.endsWith("/") ? pathname.replace(/\/+$/, "") : pathname;
  const last = trimmed.slice(trimmed.lastIndexOf("/") + 1);
  return last.endsWith(".view") ? last.slice(0, -5) : last;
}

/**
 * The path and query of a request URL. `Request.url` is already a serialised WHATWG URL
 * (`http://host[:port]/path[?query][#fragment]`; the host holds no `/`, `?` or `#`), so both
 * parts are cut out of it instead of parsing it again: the same strings `URL.pathname` and
 * `URL.search` give, at a fraction of the cost on a path every request takes (issue #18).
 */
export function splitRequestUrl(href: string): { pathname: string; query: string } {
  const hash = href.indexOf("#");
  const end = hash < 0 ? href.length : hash;
  const q = href.indexOf("?");
  const queryStart = q >= 0 && q < end ? q : end;
  // http(s) URLs always serialise a path, starting at the first "/" after "scheme://host".
  const slash = href.indexOf("/", href.indexOf("//") + 2);
  const pathname = slash >= 0 && slash < queryStart ? href.slice(slash, queryStart) : "/";
  return { pathname, query: queryStart < end ? href.slice(queryStart + 1, end) : "" };
}

/** Merges the query string with a form-encoded POST body (OpenSubsonic `formPost`); GETs need no await. */
function requestParams(req: Request, query: string): URLSearchParams | Promise<URLSearchParams> {
  const params = new URLSearchParams(query);
  if (req.method !== "POST" || !(req.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) return params;
  return readTextLimited(req, BODY_LIMITS.subsonicForm).then((body) => {
    for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
    return params;
  });
}

/**
 * Runs one Subsonic method. `user` is given for in-process calls (already
 * authorised by the caller); HTTP calls authenticate from the parameters.
 */
export async function dispatchSubsonic(method: string, raw: URLSearchParams, opts: { req?: Request; user?: UserRow } = {}): Promise<Response> {
  const choice = chooseFormat(raw);
  try {
    const handler = Object.hasOwn(routes, method) ? routes[method] : undefined;
    const params = new Params(raw);
    const user = opts.user ?? (publicMethods.has(method) && !raw.has("u") && !raw.has("apiKey") ? null : await authenticateSubsonic(params, opts.req));
    if (!handler) throw new SubsonicError(0, `Not implemented: ${method}`);
    if (!user && !publicMethods.has(method)) throw new SubsonicError(10);
    const ctx = { params, user, client: raw.get("c") ?? "", req: opts.req } as SubsonicContext;
    const out = await handler(ctx);
    return out instanceof Response ? out : renderBody("ok", out, choice);
  } catch (err) {
    return renderError(toSubsonicError(err), choice);
  }
}

/**
 * An in-process call on behalf of `userName`, trusted without credentials (Navidrome's
 * internal authentication, used by the SubsonicAPI plugin service). `path` is the request
 * path (`/getAlbum.view`); an unknown user gets the usual "wrong username or password"
 * error document.
 */
export async function dispatchAsUser(path: string, params: URLSearchParams, userName: string): Promise<Response> {
  const user = await userByName(userName);
  if (!user) return renderError(new SubsonicError(40), chooseFormat(params));
  return dispatchSubsonic(methodName(path), params, { user });
}

/** The HTTP entry point used by app/rest and the fast path of scripts/server.mjs (lib/server/fast-routes.ts). */
export async function handleSubsonic(req: Request): Promise<Response> {
  const { pathname, query } = splitRequestUrl(req.url);
  let raw: URLSearchParams;
  try {
    const params = requestParams(req, query);
    raw = params instanceof URLSearchParams ? params : await params;
  } catch (err) {
    if (!(err instanceof AppError && err.code === "TOO_LARGE")) throw err;
    // Refused before authentication: HTTP 413 with the error document in the format the query asks for.
    return renderError(toSubsonicError(err), chooseFormat(new URLSearchParams(query)), { status: 413 });
  }
  return dispatchSubsonic(methodName(pathname), raw, { req });
}
