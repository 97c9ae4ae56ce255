import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import { log } from "../log";
import { SECURITY_HEADERS } from "./security-headers";

/**
 * The fast path: requests the production server (scripts/server.mjs) answers with a route
 * handler directly, before Next.js. Next.js costs ≈0.9 ms of CPU and ≈3 ms of latency per
 * request on a 2-core VM (routing, its request and response wrappers, tracing), more than a
 * Python Subsonic server's whole `ping` (issue #18); the Subsonic API is hit by every client
 * for every action, so it is served here. What Next.js adds to these answers is done here
 * the same way: the app-wide security headers (overriding the handler's, as next.config.ts's
 * `headers()` does), gzip for documents, HEAD without a body, and the client going away
 * reaching the handler as an aborted `Request.signal`.
 *
 * lib/server/boot registers the route table (lib/server/fast-routes.ts) on globalThis under
 * {@link FAST_PATH}; scripts/server.mjs calls it for each request and hands Next.js whatever
 * it declines.
 */

/** A fetch-style route handler, as app/ route handlers are. */
export type FetchHandler = (req: Request) => Promise<Response> | Response;

/** Picks the handler for a request target (`req.url`) and method, or none (Next.js serves it). */
export type FastRoutes = (url: string, method: string) => FetchHandler | undefined;

/** Where scripts/server.mjs finds the fast path (same name there). */
export const FAST_PATH = Symbol.for("tessitura.fastPath");

/** What scripts/server.mjs calls: a promise when the request is ours, undefined when it is Next.js's. */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => Promise<void> | undefined;

/** Makes `routes` the fast path of this process's server. */
export function registerFastPath(routes: FastRoutes): void {
  const fast: FastPath = (req, res) => {
    const handler = routes(req.url ?? "", req.method ?? "GET");
    return handler ? serveFetch(req, res, handler) : undefined;
  };
  (globalThis as Record<symbol, unknown>)[FAST_PATH] = fast;
}

/** Documents Next.js would compress (its `compression` filter); media and images are sent as they are. */
const DOCUMENT_TYPE = /^(?:application\/(?:json|xml|javascript)|text\/)/i;
/** Below this a document is sent as it is (Next.js's threshold too): gzip would not pay. */
const GZIP_MIN_BYTES = 1024;
const gzip = promisify(gzipCallback);

/** True when an `Accept-Encoding` value accepts gzip (`gzip` or `*`, with a q-value above 0). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  let star = false;
  for (const part of acceptEncoding.split(",")) {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (coding === "gzip") return accepted;
    if (coding === "*") star = accepted;
  }
  return star;
}

/** The node:http request as a fetch `Request`: same method, headers and URL; the body streamed; aborted when the client goes away. */
function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    try {
      headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    } catch {
      // node:http accepts a few header values fetch refuses; the handler never needs those
    }
  }
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
  const init = { method, headers, body, signal, duplex: "half" } as RequestInit;
  // The handlers read the path and query only; a Host that is not a plain host[:port] (one
  // with "/", "?" or "#" would move them) is not put into the URL.
  const host = req.headers.host && PLAIN_HOST.test(req.headers.host) ? req.headers.host : "localhost";
  return new Request(`http://${host}${req.url}`, init);
}

const PLAIN_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Serves one request with `handler`, writing its Response as Next.js would. */
export async function serveFetch(req: IncomingMessage, res: ServerResponse, handler: FetchHandler): Promise<void> {
  const abort = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  let response: Response;
  try {
    response = await handler(toRequest(req, abort.signal));
  } catch (err) {
    log.error({ err, url: req.url }, "request failed");
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8", ...SECURITY_HEADERS });
    res.end("Internal Server Error");
    return;
  }
  await writeResponse(req, res, response);
}

async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers[name.toLowerCase()] = value;
  // A request body the handler left unread (a POST it had no use for, one refused as too
  // large) would stall the next request on this connection: it ends with this answer.
  if (!req.complete) headers.connection = "close";

  const body = response.body;
  if (!body || req.method === "HEAD") {
    await body?.cancel().catch(() => undefined);
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const document = DOCUMENT_TYPE.test(headers["content-type"]?.toString() ?? "") && !headers["content-range"] && !headers["content-encoding"];
  if (document) {
    // Documents are built in memory by their handlers; read whole, they get a length and, when large, gzip.
    let bytes: Buffer = Buffer.from(await response.arrayBuffer());
    headers.vary = headers.vary ? `${headers.vary}, Accept-Encoding` : "Accept-Encoding";
    if (bytes.length >= GZIP_MIN_BYTES && acceptsGzip(req.headers["accept-encoding"])) {
      bytes = await gzip(bytes);
      headers["content-encoding"] = "gzip";
    }
    headers["content-length"] = String(bytes.length);
    res.writeHead(response.status, headers);
    res.end(bytes);
    return;
  }
  res.writeHead(response.status, headers);
  try {
    await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), res);
  } catch {
    // The client went away mid-stream: the handler saw the abort; nothing is left to answer.
  }
}
