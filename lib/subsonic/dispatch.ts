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

/** Merges the query string with a form-encoded POST body (OpenSubsonic `formPost`). */
async function requestParams(req: Request, url: URL): Promise<URLSearchParams> {
  const params = url.searchParams;
  if (req.method === "POST" && (req.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(await readTextLimited(req, BODY_LIMITS.subsonicForm))) params.append(k, v);
  }
  return params;
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

/** The HTTP entry point used by app/rest. */
export async function handleSubsonic(req: Request): Promise<Response> {
  // Parsed once: the method name and the parameters both come from it.
  const url = new URL(req.url);
  let raw: URLSearchParams;
  try {
    raw = await requestParams(req, url);
  } catch (err) {
    if (!(err instanceof AppError && err.code === "TOO_LARGE")) throw err;
    // Refused before authentication: HTTP 413 with the error document in the format the query asks for.
    return renderError(toSubsonicError(err), chooseFormat(url.searchParams), { status: 413 });
  }
  return dispatchSubsonic(methodName(url.pathname), raw, { req });
}
