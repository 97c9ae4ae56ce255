import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
// The production server's own peer stamping (scripts/server.mjs), so tests exercise it.
import { createPeerServer } from "../../scripts/server.mjs";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** One route: method, path pattern (named groups become params), handler. */
export type AppRoute = [method: string, path: RegExp, handler: Handler];

/**
 * Serves route handlers on 127.0.0.1 behind scripts/server.mjs's `createPeerServer`, as
 * `npm start` does: every request carries the socket address in the peer header, and a
 * client-sent copy of that header is dropped.
 */
export async function serveApp(routes: AppRoute[]): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createPeerServer(async (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url!, `http://${req.headers.host}`);
    const match = routes.map(([m, re, h]) => ({ m, h, found: re.exec(url.pathname) })).find((r) => r.m === req.method && r.found);
    if (!match) return void res.writeHead(404).end();
    const headers = Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : []));
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks);
    const request = new Request(url, { method: req.method, headers, body });
    const params = Object.fromEntries(Object.entries(match.found!.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
    const response = await match.h(request, { params: Promise.resolve(params) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
