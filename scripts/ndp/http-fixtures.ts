import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";
import { UsageError } from "./args";
import { selfSignedCertificate } from "./self-signed";

/**
 * A canned HTTP answer. `body` is sent as text, or as JSON (with `Content-Type:
 * application/json` unless `headers` say otherwise) when it is not a string; `bodyBase64`
 * carries binary bodies.
 */
export interface HttpFixture {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  bodyBase64?: string;
}

/** One request the fixture server answered. */
export interface FixtureHit {
  method: string;
  url: string;
  status: number;
  /** The fixture key that answered, or null for the 404 of an unknown URL. */
  fixture: string | null;
  /** The request body as text (for POSTs to webhooks and the like). */
  body: string;
}

export interface FixtureServer {
  /** Value for TESSITURA_HTTP_HOST_OVERRIDES: every fixture host pinned to this server. */
  overrides: string;
  hits: FixtureHit[];
  close(): Promise<void>;
}

interface Entry {
  key: string;
  method: string | null;
  url: string;
  prefix: boolean;
  fixture: HttpFixture;
}

/**
 * Reads a fixture file: `{"<url>": fixture}`; a key may start with a method (`POST https://…`)
 * and end with `*` to match every URL that starts with it.
 */
export function readFixtures(file: string): Entry[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new UsageError(`--http-fixture ${file}: ${(err as Error).message}`);
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) throw new UsageError(`--http-fixture ${file}: expected a JSON object of URL → response`);
  return Object.entries(data as Record<string, HttpFixture>).map(([key, fixture]) => {
    const m = /^([A-Z]+)\s+(\S+)$/.exec(key);
    const raw = m ? m[2] : key;
    const prefix = raw.endsWith("*");
    let url: string;
    try {
      url = new URL(prefix ? raw.slice(0, -1) : raw).href;
    } catch {
      throw new UsageError(`--http-fixture ${file}: ${JSON.stringify(key)} is not a URL`);
    }
    if (!/^https?:$/.test(new URL(url).protocol)) throw new UsageError(`--http-fixture ${file}: ${JSON.stringify(key)} is not an http(s) URL`);
    return { key, method: m ? m[1] : null, url: canonical(prefix ? raw.slice(0, -1) : url), prefix, fixture };
  });
}

/** URLs compare with percent-escapes of unreserved characters decoded (`%28` and `(` are one URL). */
function canonical(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

function findFixture(entries: Entry[], method: string, rawUrl: string): Entry | null {
  const url = canonical(rawUrl);
  const candidates = entries.filter((e) => (e.method === null || e.method === method) && (e.prefix ? url.startsWith(e.url) : url === e.url));
  // Exact before prefix, method-specific before any-method, longer prefixes first.
  candidates.sort((a, b) => Number(a.prefix) - Number(b.prefix) || Number(b.method !== null) - Number(a.method !== null) || b.url.length - a.url.length);
  return candidates[0] ?? null;
}

function send(res: http.ServerResponse, f: HttpFixture): number {
  const status = f.status ?? 200;
  const headers: Record<string, string> = { ...f.headers };
  let body: Buffer;
  if (f.bodyBase64 !== undefined) body = Buffer.from(f.bodyBase64, "base64");
  else if (typeof f.body === "string") body = Buffer.from(f.body);
  else if (f.body === undefined) body = Buffer.alloc(0);
  else {
    body = Buffer.from(JSON.stringify(f.body));
    if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) headers["Content-Type"] = "application/json";
  }
  res.writeHead(status, headers).end(body);
  return status;
}

/** Plugin HTTPS requests to this server must not verify its throw-away certificate; nothing else changes. */
function trustFixtureServer(port: number): () => void {
  const original = tls.connect;
  const patched = function (this: unknown, ...args: unknown[]) {
    const opts = args[0];
    if (opts && typeof opts === "object" && (opts as tls.ConnectionOptions).port === port && (opts as tls.ConnectionOptions).host === "127.0.0.1")
      (opts as tls.ConnectionOptions).rejectUnauthorized = false;
    return (original as (...a: unknown[]) => tls.TLSSocket).apply(this, args);
  };
  (tls as { connect: unknown }).connect = patched;
  return () => {
    (tls as { connect: unknown }).connect = original;
  };
}

/**
 * Serves `entries` on 127.0.0.1, one port for plain HTTP and one for HTTPS, and answers the
 * overrides that pin every fixture host to the port of its scheme (a host therefore cannot
 * have fixtures for both). `http_send` still applies the manifest's allow-list before the
 * pin, as on a server.
 */
export async function startFixtureServer(entries: Entry[]): Promise<FixtureServer> {
  const hits: FixtureHit[] = [];
  const handler = (scheme: string) => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", `${scheme}://${req.headers.host ?? "localhost"}`).href;
      const method = req.method ?? "GET";
      const entry = findFixture(entries, method, url);
      const status = entry ? send(res, entry.fixture) : send(res, { status: 404, body: `ndp run: no HTTP fixture for ${method} ${url}\n` });
      hits.push({ method, url, status, fixture: entry?.key ?? null, body: Buffer.concat(chunks).toString("utf8") });
    });
  };
  const schemes = new Map<string, string>();
  for (const e of entries) {
    const u = new URL(e.url);
    const host = u.hostname.toLowerCase();
    const scheme = u.protocol.slice(0, -1);
    if ((schemes.get(host) ?? scheme) !== scheme) throw new UsageError(`--http-fixture: ${host} has both http and https fixtures; use one scheme per host`);
    schemes.set(host, scheme);
  }
  const servers = { http: http.createServer(handler("http")), https: https.createServer(selfSignedCertificate(), handler("https")) };
  const ports: Record<string, number> = {};
  for (const [scheme, server] of Object.entries(servers)) {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    ports[scheme] = (server.address() as net.AddressInfo).port;
  }
  const restoreTls = trustFixtureServer(ports.https);
  return {
    overrides: [...schemes].map(([host, scheme]) => `${host}=127.0.0.1:${ports[scheme]}`).join(","),
    hits,
    close: async () => {
      restoreTls();
      for (const server of Object.values(servers)) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
