import "server-only";
import { authenticateRequest } from "../auth/session";
import { parseDuration } from "../config";
import type { User as UserRow } from "../db/rows";
import { AppError } from "../errors";
import { readBodyLimited } from "../http/body";
import { clientAddress } from "../http/client-address";
import { log } from "../log";
import { remember } from "../server/remember";
import { settings } from "../server/settings";
import { authenticateSubsonic } from "../subsonic/auth";
import { Params } from "../subsonic/params";
import { httpEndpointSource, type EndpointRequest, type EndpointUser, type HttpEndpoint } from "./endpoint";
import { DROPPED_RESPONSE_HEADERS, FORCED_ENDPOINT_HEADERS, WITHHELD_REQUEST_HEADERS, WITHHELD_SUBSONIC_PARAMS } from "./headers";
import { slidingWindowLimiter, type RateLimiter } from "./rate-limit";

/** Request bodies are bounded at Navidrome's `maxEndpointBodySize`; we refuse (413) rather than truncate. */
export const MAX_ENDPOINT_BODY = 1024 * 1024;

export interface EndpointOptions {
  /** Defaults to the limiter built from `Plugins.EndpointRequestLimit` / `EndpointRequestWindow`. */
  limiter?: RateLimiter;
  now?: () => number;
}

/** The process-wide limiter of the configured size (rebuilt when the settings change). */
export function configuredEndpointLimiter(): RateLimiter {
  const { EndpointRequestLimit: limit, EndpointRequestWindow: window } = settings().Plugins;
  const holder = remember("endpointLimiter", () => ({ key: "", limiter: null as RateLimiter | null }));
  const key = `${limit}/${window}`;
  if (holder.key !== key || !holder.limiter) Object.assign(holder, { key, limiter: slidingWindowLimiter(limit, parseDuration(window)) });
  return holder.limiter!;
}

const text = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(`${body}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", ...headers } });

/**
 * Serves `/ext/{pluginId}/…` and `/rest/ext/{pluginId}/…` (HTTPEndpoint, PR #5045 §A2.4–A2.7):
 * rate limit per client address → plugin lookup (404) → authentication by the manifest's
 * mode (401) → user scope (403) → bounded body (413) → plugin call (500 on any failure,
 * details only in the log) → the plugin's answer with the forced security headers.
 */
export async function handlePluginEndpoint(req: Request, pluginId: string, segments: string[] | undefined, opts: EndpointOptions = {}): Promise<Response> {
  const addr = clientAddress(req);
  const wait = (opts.limiter ?? configuredEndpointLimiter()).take(addr, opts.now?.());
  if (wait > 0) return text(429, "Too Many Requests", { "Retry-After": String(wait) });

  const endpoint = httpEndpointSource()?.get(pluginId);
  if (!endpoint) return text(404, "404 page not found");

  const url = new URL(req.url);
  let query = url.searchParams;
  let body: Uint8Array | null = null;
  let user: UserRow | undefined;
  try {
    if (endpoint.auth === "subsonic") {
      // OpenSubsonic formPost: form fields count as parameters, and the plugin then sees them in the query, not the body.
      if ((req.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) {
        const form = new URLSearchParams(new TextDecoder().decode(await readBodyLimited(req, MAX_ENDPOINT_BODY)));
        query = new URLSearchParams([...query, ...form]);
        body = new Uint8Array(0);
      }
      try {
        user = await authenticateSubsonic(new Params(query), req);
      } catch {
        return text(401, "Unauthorized");
      }
      for (const k of WITHHELD_SUBSONIC_PARAMS) query.delete(k);
    } else if (endpoint.auth === "native") {
      const session = await authenticateRequest(req);
      if (!session) return Response.json({ error: "Not authenticated" }, { status: 401, headers: { "X-Content-Type-Options": "nosniff" } });
      // Cookie-authenticated writes must come from our own pages (the sandboxed plugin page has an opaque origin).
      if (session.via === "cookie" && !["GET", "HEAD", "OPTIONS"].includes(req.method) && !sameOrigin(req)) return text(403, "Forbidden");
      user = session.user;
    }
    if (user && !endpoint.allowsUser(user.id)) return text(403, "Forbidden");
    body ??= await readBodyLimited(req, MAX_ENDPOINT_BODY);
  } catch (err) {
    if (err instanceof AppError && err.code === "TOO_LARGE") return text(413, "Request body too large");
    throw err;
  }

  const request: EndpointRequest = {
    method: req.method,
    path: pluginPath(segments),
    query: query.toString() === "" ? "" : endpoint.auth === "subsonic" ? query.toString() : url.search.slice(1),
    headers: forwardedHeaders(req.headers),
    body,
    user: user && endpointUser(user),
  };
  return callEndpoint(endpoint, request, req.signal);
}

async function callEndpoint(endpoint: HttpEndpoint, request: EndpointRequest, signal: AbortSignal): Promise<Response> {
  let answer;
  try {
    answer = await endpoint.handle(request, signal);
  } catch (err) {
    log.warn({ plugin: endpoint.pluginId, path: request.path, err: (err as Error).message }, "plugin endpoint failed");
    return text(500, "Internal Server Error");
  }
  const status = answer.status === 0 ? 200 : answer.status;
  // Go's WriteHeader refuses codes outside 100–999; a fetch Response takes 200–599 only.
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    log.warn({ plugin: endpoint.pluginId, status }, "plugin endpoint answered an unusable status");
    return text(500, "Internal Server Error");
  }
  const headers = new Headers();
  for (const [name, values] of Object.entries(answer.headers)) {
    if (DROPPED_RESPONSE_HEADERS.has(name.toLowerCase())) continue;
    for (const v of values) {
      try {
        headers.append(name, v);
      } catch {
        // An invalid name or value (CR/LF, …) is dropped, not an error.
      }
    }
  }
  for (const [name, value] of Object.entries(FORCED_ENDPOINT_HEADERS)) headers.set(name, value);
  const noBody = status === 204 || status === 304;
  return new Response(noBody ? null : (answer.body as Uint8Array<ArrayBuffer>), { status, headers });
}

/** `/ext/id` and `/ext/id/` both give `""`; otherwise the rest with a leading `/` (segments arrive decoded). */
function pluginPath(segments: string[] | undefined): string {
  return segments?.length && !(segments.length === 1 && segments[0] === "") ? `/${segments.join("/")}` : "";
}

/** Go's canonical header names (`content-type` → `Content-Type`). Fetch joins repeated headers with ", ". */
function forwardedHeaders(h: Headers): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of h) {
    if (WITHHELD_REQUEST_HEADERS.has(name)) continue;
    const canonical = name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
    (out[canonical] ??= []).push(value);
  }
  return out;
}

function endpointUser(u: UserRow): EndpointUser {
  return { id: u.id, username: u.userName, name: u.name ?? "", isAdmin: u.isAdmin };
}

function sameOrigin(req: Request): boolean {
  const origin = req.headers.get("origin") ?? req.headers.get("referer");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  try {
    return !!origin && new URL(origin).host === host;
  } catch {
    return false;
  }
}
