import "server-only";
import type { FetchHandler } from "../http/fast-path";
import { handleSubsonic } from "../subsonic/dispatch";

/**
 * `/rest/<one segment>[/]` then the query or nothing: a Subsonic call. `.` and `..` segments
 * (plain or percent-encoded) are left to Next.js, which resolves them as URL parsing does;
 * longer paths too (plugin endpoints under `/rest/ext/<plugin>/…` have their own route).
 */
const SUBSONIC_CALL = /^\/rest\/(?!(?:\.|%2e){1,2}\/?(?:\?|$))[^/?#]+\/?(?=\?|$)/i;

/**
 * The fast path's routes (lib/http/fast-path.ts): the Subsonic API, GET, HEAD and form POSTs
 * (the handler is app/rest/[...method]'s). Anything else, other methods included (Next.js
 * answers those 405), goes to Next.js, `/health` too: it stays the trivial Next.js route that
 * `npm run bench -- --load` measures the API against.
 */
export function fastRoute(url: string, method: string): FetchHandler | undefined {
  if (SUBSONIC_CALL.test(url)) return method === "GET" || method === "HEAD" || method === "POST" ? handleSubsonic : undefined;
  return undefined;
}
