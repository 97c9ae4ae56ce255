import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/**
 * A static file host on 127.0.0.1, as a catalog author would publish with any web server:
 * files under `root`, strong ETags and 304s, plus `overrides` (path → status and body) to
 * break a URL on purpose. Counts requests per path so tests can tell cache hits.
 */
export interface StaticSite {
  url: string;
  requests: Map<string, { total: number; notModified: number }>;
  overrides: Map<string, { status: number; body: string | Buffer }>;
  close(): Promise<void>;
}

export async function serveStaticSite(root: string): Promise<StaticSite> {
  const requests = new Map<string, { total: number; notModified: number }>();
  const overrides = new Map<string, { status: number; body: string | Buffer }>();
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url!, "http://x").pathname);
    const count = requests.get(pathname) ?? { total: 0, notModified: 0 };
    requests.set(pathname, count);
    count.total++;
    const override = overrides.get(pathname);
    if (override) return void res.writeHead(override.status, { "Content-Type": "application/json" }).end(override.body);
    const file = path.join(root, pathname);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end("not found");
    const body = readFileSync(file);
    const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
    if (req.headers["if-none-match"] === etag) {
      count.notModified++;
      return void res.writeHead(304, { ETag: etag }).end();
    }
    res.writeHead(200, { "Content-Type": file.endsWith(".json") ? "application/json" : "application/octet-stream", ETag: etag }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    overrides,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** A URL nothing listens on (a port that was just freed). */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}/catalog.json`;
}
