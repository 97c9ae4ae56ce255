import type { Server } from "node:http";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPeerServer, FAST_PATH, withFastPath } from "../../scripts/server.mjs";
import { acceptsGzip, type FetchHandler, registerFastPath } from "./fast-path";
import { SECURITY_HEADERS } from "./security-headers";

// The production server's wiring (scripts/server.mjs: peer stamp, fast path, then "Next.js",
// here a stand-in answering 404 with a marker) on 127.0.0.1, with test routes on the fast path.

const BIG = JSON.stringify({ items: Array.from({ length: 400 }, (_, i) => ({ id: i, name: `Item ${i}` })) });
let aborted: () => void = () => undefined;
const abortSeen = new Promise<void>((resolve) => (aborted = resolve));
let lastRequest: { method: string; url: string; peer: string | null; body: string } | undefined;

const routes: Record<string, FetchHandler> = {
  "/small": () => new Response('{"ok":true}', { headers: { "Content-Type": "application/json" } }),
  "/big": () => new Response(BIG, { headers: { "Content-Type": "application/json; charset=utf-8", Vary: "Cookie" } }),
  "/echo": async (req) => {
    lastRequest = { method: req.method, url: req.url, peer: req.headers.get("x-tessitura-peer"), body: req.method === "POST" ? await req.text() : "" };
    return new Response("echo", { headers: { "Content-Type": "text/plain", "X-Frame-Options": "ALLOWALL" } });
  },
  "/cookies": () => {
    const headers = new Headers({ "Content-Type": "text/plain" });
    headers.append("Set-Cookie", "a=1; Path=/");
    headers.append("Set-Cookie", "b=2; Path=/");
    return new Response("c", { headers });
  },
  "/audio": () =>
    new Response(
      new ReadableStream({
        start(c) {
          c.enqueue(new Uint8Array(3000).fill(7));
          c.close();
        },
      }),
      { status: 206, headers: { "Content-Type": "audio/flac", "Content-Range": "bytes 0-2999/9000", "Content-Length": "3000" } },
    ),
  "/endless": (req) => {
    req.signal.addEventListener("abort", () => aborted(), { once: true });
    let n = 0;
    return new Response(
      new ReadableStream({
        pull(c) {
          if (req.signal.aborted) return c.close();
          c.enqueue(new Uint8Array(64 * 1024).fill(n++ % 256));
          return new Promise((r) => setTimeout(r, 5));
        },
      }),
      { headers: { "Content-Type": "audio/mpeg" } },
    );
  },
  "/ignores-body": () => new Response("ignored", { headers: { "Content-Type": "text/plain" } }),
  "/throws": () => {
    throw new Error("handler bug");
  },
};

let server: Server;
let base: string;
const saved = (globalThis as Record<symbol, unknown>)[FAST_PATH];

beforeAll(async () => {
  registerFastPath((url, method) => (method === "PUT" ? undefined : routes[url.split("?")[0]]));
  server = createPeerServer(
    withFastPath(async (_req: unknown, res: import("node:http").ServerResponse) => {
      res.writeHead(404, { "X-Served-By": "next" });
      res.end();
    }),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  (globalThis as Record<symbol, unknown>)[FAST_PATH] = saved;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** A raw request (fetch would decompress and hide what was sent). */
function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: import("node:http").IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method: opts.method ?? "GET", headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

describe("the fast path", () => {
  it("answers its routes with the app's security headers, over the handler's own", async () => {
    const r = await raw("/echo");
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe("echo");
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(r.headers[name.toLowerCase()], name).toBe(value);
    expect(r.headers["x-served-by"]).toBeUndefined();
  });

  it("leaves other requests to Next.js, other methods included", async () => {
    expect((await raw("/login")).headers["x-served-by"]).toBe("next");
    expect((await raw("/echo", { method: "PUT" })).headers["x-served-by"]).toBe("next");
  });

  it("hands the handler the method, URL, stamped peer address and a posted body", async () => {
    await raw("/echo?x=1", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Tessitura-Peer": "6.6.6.6" }, body: "u=a&p=b" });
    expect(lastRequest).toEqual({ method: "POST", url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/echo\?x=1$/), peer: "127.0.0.1", body: "u=a&p=b" });
  });

  it("keeps a hostile Host header out of the URL the handler reads", async () => {
    for (const host of ["evil?u=admin", "evil/other#x", "a b"]) {
      await raw("/echo?x=1", { headers: { Host: host } });
      expect(lastRequest?.url, host).toBe("http://localhost/echo?x=1");
    }
    await raw("/echo?x=1", { headers: { Host: "music.example:4533" } });
    expect(lastRequest?.url).toBe("http://music.example:4533/echo?x=1");
  });

  it("sends a small document as it is, with its length", async () => {
    const r = await raw("/small", { headers: { "Accept-Encoding": "gzip" } });
    expect(r.headers["content-encoding"]).toBeUndefined();
    expect(r.headers["content-length"]).toBe(String(r.body.length));
    expect(JSON.parse(r.body.toString())).toEqual({ ok: true });
  });

  it("gzips a large document for a client that accepts it, and only then", async () => {
    const gz = await raw("/big", { headers: { "Accept-Encoding": "br, gzip;q=0.8" } });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers.vary).toBe("Cookie, Accept-Encoding");
    expect(Number(gz.headers["content-length"])).toBe(gz.body.length);
    expect(gunzipSync(gz.body).toString()).toBe(BIG);
    for (const enc of [undefined, "identity", "gzip;q=0", "br"]) {
      const plain = await raw("/big", { headers: enc ? { "Accept-Encoding": enc } : {} });
      expect(plain.headers["content-encoding"], enc).toBeUndefined();
      expect(plain.body.toString(), enc).toBe(BIG);
    }
  });

  it("keeps every Set-Cookie", async () => {
    expect((await raw("/cookies")).headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });

  it("streams media as it is: status, range and bytes untouched, never gzipped", async () => {
    const r = await raw("/audio", { headers: { "Accept-Encoding": "gzip" } });
    expect(r.status).toBe(206);
    expect(r.headers["content-range"]).toBe("bytes 0-2999/9000");
    expect(r.headers["content-encoding"]).toBeUndefined();
    expect(r.body).toEqual(Buffer.alloc(3000, 7));
  });

  it("answers HEAD with the headers and no body", async () => {
    const r = await raw("/big", { method: "HEAD" });
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toContain("application/json");
    expect(r.body.length).toBe(0);
  });

  it("tells the handler when the client goes away mid-stream", async () => {
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${base}/endless`, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", () => undefined);
      req.once("error", reject);
      req.end();
    });
    await abortSeen; // resolves only through the handler's abort listener
    expect((await raw("/small")).status).toBe(200); // and the server carries on
  });

  it("closes the connection after an answer that left the request body unread, so the next request is not stuck", async () => {
    const agent = new (await import("node:http")).Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = httpRequest(`${base}/ignores-body`, { method: "POST", agent, headers: { "Content-Type": "text/plain", "Content-Length": String(4 * 1024 * 1024) } }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
        });
        req.on("error", (err) => ((err as NodeJS.ErrnoException).code === "EPIPE" || (err as NodeJS.ErrnoException).code === "ECONNRESET" ? undefined : reject(err)));
        req.write(Buffer.alloc(64 * 1024, 0x61)); // far less than announced: the rest never comes
      });
      expect(first).toEqual({ status: 200, connection: "close" });
      const second = await new Promise<number>((resolve, reject) => {
        httpRequest(`${base}/small`, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode!));
        })
          .on("error", reject)
          .end();
      });
      expect(second).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it("answers 500 when a handler throws, and keeps serving", async () => {
    const r = await raw("/throws");
    expect(r.status).toBe(500);
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect((await raw("/small")).status).toBe(200);
  });
});

describe("acceptsGzip", () => {
  it.each([
    ["gzip", true],
    ["gzip, deflate, br", true],
    ["br;q=1.0, gzip;q=0.5", true],
    ["GZIP", true],
    ["*", true],
    ["gzip;q=0", false],
    ["gzip;q=0.0, *", false],
    ["*;q=0", false],
    ["identity", false],
    ["br", false],
    ["", false],
  ])("%s → %s", (value, expected) => {
    expect(acceptsGzip(value)).toBe(expected);
  });
  it("undefined → false", () => expect(acceptsGzip(undefined)).toBe(false));
});
