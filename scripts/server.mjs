#!/usr/bin/env node
// The production HTTP server behind `npm start` (scripts/start.mjs), `npm run demo` and the
// e2e web server: Next.js through its programmatic API (`next({ dev: false })`) on our own
// node:http server, so that the client's socket address reaches the app. Route handlers
// cannot see the socket, and Next passes a client-sent X-Forwarded-For through untouched;
// here every request gets PEER_HEADER overwritten with `req.socket.remoteAddress` (any value
// the client sent is dropped first), and PEER_FLAG tells lib/http/client-address that the
// header can be believed. Instrumentation (lib/server/boot) runs in `app.prepare()`.
//
//   node scripts/server.mjs [--port 4533] [--hostname 0.0.0.0]
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Same names as lib/http/client-address.ts. */
export const PEER_HEADER = "x-tessitura-peer";
export const PEER_FLAG = Symbol.for("tessitura.peerHeader");
/** Same name as lib/subsonic/dispatch.ts. */
export const SUBSONIC_PATH_HEADER = "x-tessitura-subsonic-path";

/** Sets `name` on the request to `value` only, dropping whatever the client sent under it (any case). */
function replaceHeader(req, name, value) {
  delete req.headers[name];
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) if (req.rawHeaders[i].toLowerCase() === name) req.rawHeaders.splice(i, 2);
  if (value === undefined) return;
  req.headers[name] = value;
  req.rawHeaders.push(name, value);
}

/** Replaces any client-sent PEER_HEADER with the socket's address. */
export function stampPeer(req) {
  replaceHeader(req, PEER_HEADER, req.socket.remoteAddress ?? "");
}

/** `/rest/<one segment>[/]` followed by the query or nothing; `.`/`..` segments (plain or encoded) excluded. */
const SUBSONIC_PATH = /^\/rest\/(?!(?:\.|%2e){1,2}\/?(?:\?|$))[^/?#]+\/?(?=\?|$)/i;

/**
 * Sends a Subsonic call, `/rest/<method>[.view]?query`, to the static `/rest` route as
 * `/rest?query`, with the path the client asked for in SUBSONIC_PATH_HEADER (a client-sent
 * copy is dropped first; it only names the method, which the client chooses anyway).
 *
 * Next.js finds a static route by a table lookup, while every request for the catch-all
 * `/rest/[...method]` paid its dynamic-route matching and params handling: 15-20 % of an
 * authenticated `ping` on the production server (issue #18). Longer paths (plugin endpoints
 * under `/rest/ext/…`) and absolute-form request targets stay as they are, and `next dev` or a
 * bare `next start` still reach the catch-all, which answers the same.
 */
export function routeSubsonic(req) {
  replaceHeader(req, SUBSONIC_PATH_HEADER, undefined);
  const path = SUBSONIC_PATH.exec(req.url ?? "")?.[0];
  if (!path) return;
  replaceHeader(req, SUBSONIC_PATH_HEADER, path);
  req.url = `/rest${req.url.slice(path.length)}`;
}

/** An HTTP server that stamps the peer header, then hands the request to `handle` (Next's request handler). */
export function createPeerServer(handle) {
  globalThis[PEER_FLAG] = true;
  return createServer((req, res) => {
    stampPeer(req);
    Promise.resolve(handle(req, res)).catch((err) => {
      console.error("unhandled error serving", req.url, err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
}

/** Starts Tessitura on `hostname:port`; resolves once it listens. */
export async function startServer({ port, hostname }) {
  process.env.NODE_ENV = "production";
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  const { default: next } = await import("next");
  const dir = path.resolve(import.meta.dirname, "..");
  const app = next({ dev: false, dir, hostname, port });
  const handle = app.getRequestHandler();
  const server = createPeerServer((req, res) => {
    routeSubsonic(req);
    return handle(req, res);
  });
  await app.prepare();
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, resolve);
  });
  console.log(`✓ Ready on http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`);
  return server;
}

function arg(name) {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return argv[i].includes("=") ? argv[i].split("=", 2)[1] : argv[i + 1];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  startServer({ port: Number(arg("port") ?? process.env.ND_PORT ?? 4533), hostname: arg("hostname") ?? process.env.ND_ADDRESS ?? "0.0.0.0" }).catch((err) => {
    console.error(`FATAL: ${err.message}`);
    process.exit(1);
  });
}
