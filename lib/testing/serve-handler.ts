import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type FetchHandler, serveFetch } from "../http/fast-path";

/**
 * Serves a fetch-style handler (`Request` → `Response`, the shape of our route handlers)
 * on a real HTTP server on 127.0.0.1, so tests drive it with real clients. The request and
 * the answer go through the production server's own bridge (lib/http/fast-path.ts), as the
 * Subsonic API does under `npm start`.
 */
export async function serveHandler(handler: FetchHandler): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer((req, res) => void serveFetch(req, res, handler));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, server, close: () => new Promise<void>((r) => server.close(() => r())) };
}
