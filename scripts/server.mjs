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
/** Same name as lib/http/fast-path.ts: the routes answered before Next.js, registered at boot. */
export const FAST_PATH = Symbol.for("tessitura.fastPath");

/** Replaces any client-sent PEER_HEADER with the socket's address. */
export function stampPeer(req) {
  delete req.headers[PEER_HEADER];
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) if (req.rawHeaders[i].toLowerCase() === PEER_HEADER) req.rawHeaders.splice(i, 2);
  const peer = req.socket.remoteAddress ?? "";
  req.headers[PEER_HEADER] = peer;
  req.rawHeaders.push(PEER_HEADER, peer);
}

/**
 * `handle` behind the fast path: a request the fast path takes (the Subsonic API;
 * lib/server/fast-routes.ts) is answered by its route handler directly, everything else by
 * `handle` (Next.js). Without a registered fast path (nothing booted) all goes to `handle`.
 */
export function withFastPath(handle) {
  return (req, res) => globalThis[FAST_PATH]?.(req, res) ?? handle(req, res);
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
  const server = createPeerServer(withFastPath(app.getRequestHandler()));
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
