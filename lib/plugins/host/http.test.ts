import dns from "node:dns";
import http from "node:http";
import net from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { HOST_OVERRIDES_ENV } from "../../net/host-overrides";
import { HTTP_MAX_BODY_BYTES } from "../../net/http-client";
import { bootWithVariants, forward } from "../../testing/host-plugins";
import type { PluginManager } from "../manager";

let manager: PluginManager;
let api: http.Server;
let raw: net.Server;
let port = 0;
let rawPort = 0;
let closedPort = 0;

/** What the fake API saw of each request (path → last request). */
const seen = new Map<string, { method: string; headers: http.IncomingHttpHeaders; body: string }>();

function startApi(): Promise<number> {
  api = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url!, "http://x");
      seen.set(url.pathname, { method: req.method!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      const redirect = /^\/redirect\/(\d+)$/.exec(url.pathname);
      if (redirect) {
        const n = Number(redirect[1]);
        if (n === 0) return res.end("done");
        res.writeHead(302, { Location: `/redirect/${n - 1}` });
        return res.end();
      }
      switch (url.pathname) {
        case "/echo":
          res.setHeader("Content-Type", "application/json");
          return res.end(JSON.stringify({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString() }));
        case "/redirect-to":
          res.writeHead(Number(url.searchParams.get("code") ?? 302), { Location: url.searchParams.get("url")! });
          return res.end();
        case "/status":
          res.writeHead(Number(url.searchParams.get("code")), { "Content-Type": "text/plain" });
          return res.end(`status ${url.searchParams.get("code")}`);
        case "/gzip":
          if (!String(req.headers["accept-encoding"] ?? "").includes("gzip")) return res.end("plain");
          res.writeHead(200, { "Content-Encoding": "gzip", "Content-Type": "text/plain" });
          return res.end(gzipSync("unzipped by the client"));
        case "/big":
          res.writeHead(200, { "Content-Type": "application/octet-stream" });
          return res.end(Buffer.alloc(HTTP_MAX_BODY_BYTES + 1024 * 1024, 0x61));
        case "/slow":
          return; // never answers
        default:
          res.writeHead(404);
          return res.end();
      }
    });
  });
  return listen(api);
}

/** A server writing one fixed response, so the exact result JSON can be asserted. */
function startRaw(): Promise<number> {
  raw = net.createServer((socket) => {
    socket.once("data", () => {
      socket.end(
        "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nX-Multi: first\r\nx-multi: second\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n" +
          "Transfer-Encoding: chunked\r\nX-Html: <b>&</b>\r\nConnection: close\r\n\r\nb\r\n{\"ok\":true}\r\n0\r\n\r\n",
      );
    });
  });
  return listen(raw);
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)));
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  const p = await listen(s);
  await new Promise((r) => s.close(r));
  return p;
}

const send = (id: string, request: object | string) => forward(manager, id, "http_send", typeof request === "string" ? request : { request });
const get = (id: string, url: string, extra: object = {}) => send(id, { method: "GET", url, ...extra });
const result = (text: string) => JSON.parse(text) as { result?: { statusCode: number; headers?: Record<string, string>; body?: string }; error?: string };
const bodyOf = (text: string) => Buffer.from(result(text).result?.body ?? "", "base64").toString();

const realLookup = dns.promises.lookup.bind(dns.promises);

beforeAll(async () => {
  port = await startApi();
  rawPort = await startRaw();
  closedPort = await freePort();
  const pin = (name: string, p: number) => `${name}=127.0.0.1:${p}`;
  process.env[HOST_OVERRIDES_ENV] = [
    pin("api.example.com", port),
    pin("deep.sub.example.org", port),
    pin("example.org", port),
    pin("other.example.net", port),
    pin("raw.example.com", rawPort),
    pin("closed.example.com", closedPort),
  ].join(",");
  // Simulated DNS: names that resolve to private addresses.
  vi.spyOn(dns.promises, "lookup").mockImplementation(((hostname: string, opts: unknown) => {
    if (hostname === "internal.test" || hostname === "rebind.example.net") return Promise.resolve([{ address: "127.0.0.1", family: 4 }]);
    if (hostname === "mixed.example.net") return Promise.resolve([{ address: "93.184.215.14", family: 4 }, { address: "10.1.2.3", family: 4 }]);
    if (hostname.endsWith(".invalid")) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }));
    return realLookup(hostname, opts as dns.LookupAllOptions);
  }) as typeof dns.promises.lookup);
  ({ manager } = await bootWithVariants([
    { base: "test-http" },
    { base: "test-http", id: "http-open", manifest: (m) => void delete m.permissions!.http!.requiredHosts },
    { base: "test-http", id: "http-star", manifest: (m) => void (m.permissions!.http!.requiredHosts = ["*"]) },
    { base: "test-http", id: "http-no-permission", manifest: (m) => void delete m.permissions!.http },
  ]));
  for (const id of ["test-http", "http-open", "http-star"]) await manager.enable(id);
});

afterAll(() => {
  delete process.env[HOST_OVERRIDES_ENV];
  api?.closeAllConnections();
  api?.close();
  raw?.close();
});

describe("http_send request and response (contract §4.2)", () => {
  it("returns status, first-value canonical headers (sorted) and base64 body as exact JSON", async () => {
    expect(await get("http-star", "http://raw.example.com/anything")).toBe(
      '{"result":{"statusCode":201,"headers":{"Connection":"close","Content-Type":"application/json","Set-Cookie":"a=1","X-Html":"\\u003cb\\u003e\\u0026\\u003c/b\\u003e","X-Multi":"first"},"body":"eyJvayI6dHJ1ZX0="}}',
    );
  });

  it("sends the Appendix A request shape: method upper-cased, headers canonicalised, Go's user agent and gzip", async () => {
    const text = await send("test-http", '{"request":{"method":"get","url":"http://api.example.com/echo","headers":{"authorization":"Bearer t"},"noFollowRedirects":false,"body":null,"timeoutMs":0}}');
    expect(result(text).result!.statusCode).toBe(200);
    expect(result(text).result!.headers!["Content-Type"]).toBe("application/json");
    const echo = JSON.parse(bodyOf(text)) as { method: string; headers: Record<string, string>; body: string };
    expect(echo.method).toBe("GET");
    expect(echo.headers).toMatchObject({ host: "api.example.com", "user-agent": "Go-http-client/1.1", "accept-encoding": "gzip", authorization: "Bearer t" });
    expect(echo.headers["content-length"]).toBeUndefined();
    expect(echo.body).toBe("");
  });

  it("defaults the method to GET and sends a base64 body only when non-empty", async () => {
    await send("test-http", { url: "http://api.example.com/echo" });
    expect(seen.get("/echo")!.method).toBe("GET");
    await send("test-http", { method: "post", url: "http://api.example.com/echo", headers: { "content-type": "text/plain", "User-Agent": "my-plugin/1.0" }, body: Buffer.from("héllo").toString("base64") });
    expect(seen.get("/echo")).toMatchObject({ method: "POST", body: "héllo", headers: { "content-type": "text/plain", "user-agent": "my-plugin/1.0", "content-length": "6" } });
    await send("test-http", { method: "PUT", url: "http://api.example.com/echo", body: "" });
    expect(seen.get("/echo")).toMatchObject({ method: "PUT", body: "", headers: { "content-length": "0" } });
  });

  it("sends URL user info as Basic credentials, and quotes the URL without the password in errors", async () => {
    await get("test-http", "http://user:p%40ss@api.example.com/echo");
    expect(seen.get("/echo")!.headers.authorization).toBe(`Basic ${Buffer.from("user:p@ss").toString("base64")}`);
    expect(await get("test-http", "http://user:secret@api.example.com/slow", { timeoutMs: 50 })).toBe('{"error":"Get \\"http://user:***@api.example.com/slow\\": context deadline exceeded"}');
  });

  it("answers 4xx and 5xx as results, omitting an empty body", async () => {
    expect(result(await get("test-http", "http://api.example.com/status?code=503")).result).toMatchObject({ statusCode: 503, body: Buffer.from("status 503").toString("base64") });
    const notFound = await get("test-http", "http://api.example.com/missing");
    expect(result(notFound).result!.statusCode).toBe(404);
    expect(notFound).not.toContain('"body"');
  });

  it("decodes gzip it asked for itself (dropping Content-Encoding), but not gzip the plugin asked for", async () => {
    const auto = result(await get("test-http", "http://api.example.com/gzip")).result!;
    expect(Buffer.from(auto.body!, "base64").toString()).toBe("unzipped by the client");
    expect(auto.headers!["Content-Encoding"]).toBeUndefined();
    const manual = result(await get("test-http", "http://api.example.com/gzip", { headers: { "Accept-Encoding": "gzip" } })).result!;
    expect(manual.headers!["Content-Encoding"]).toBe("gzip");
    expect(Buffer.from(manual.body!, "base64").subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it("truncates bodies silently at 10 MiB", async () => {
    const r = result(await get("test-http", "http://api.example.com/big")).result!;
    expect(r.statusCode).toBe(200);
    expect(Buffer.from(r.body!, "base64").length).toBe(HTTP_MAX_BODY_BYTES);
  });

  it("times out after timeoutMs, and at once for a negative timeoutMs", async () => {
    const t0 = Date.now();
    expect(await get("test-http", "http://api.example.com/slow", { timeoutMs: 300 })).toBe('{"error":"Get \\"http://api.example.com/slow\\": context deadline exceeded"}');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await get("test-http", "http://api.example.com/slow", { timeoutMs: -1 })).toBe('{"error":"Get \\"http://api.example.com/slow\\": context deadline exceeded"}');
  });

  it("reports network errors in Go's words", async () => {
    const refused = await get("http-star", "http://closed.example.com/");
    expect(refused).toBe(`{"error":"Get \\"http://closed.example.com/\\": dial tcp 127.0.0.1:${closedPort}: connect: connection refused"}`);
    expect(await get("http-star", "http://no-such-host.invalid/")).toBe('{"error":"Get \\"http://no-such-host.invalid/\\": dial tcp: lookup no-such-host.invalid: no such host"}');
    expect(await get("test-http", "http://api.example.com/echo", { headers: { "bad name": "x" } })).toBe(
      '{"error":"Get \\"http://api.example.com/echo\\": net/http: invalid header field name \\"bad name\\""}',
    );
  });

  it("answers undecodable requests and bad URLs with Go's errors", async () => {
    expect(await send("test-http", '{"request":{"url":"http://api.example.com/","timeoutMs":"1"}}')).toBe(
      '{"error":"json: cannot unmarshal string into Go struct field HTTPSendRequest.request.timeoutMs of type int32"}',
    );
    expect(await send("test-http", "{}")).toBe('{"error":"invalid URL scheme \\"\\": must be http or https"}');
    expect(await get("test-http", "ftp://api.example.com/file")).toBe('{"error":"invalid URL scheme \\"ftp\\": must be http or https"}');
    expect(await get("test-http", "http://api.example.com:port/")).toBe('{"error":"invalid URL: parse \\"http://api.example.com:port/\\": invalid port \\":port\\" after host"}');
    expect(await send("test-http", { method: "BAD METHOD", url: "http://api.example.com/" })).toBe('{"error":"creating request: net/http: invalid method \\"BAD METHOD\\""}');
  });
});

describe("http_send allow-list (requiredHosts)", () => {
  it("matches exact names and *.suffix (any depth, not the apex), case-sensitively, ignoring the port", async () => {
    expect(result(await get("test-http", "http://deep.sub.example.org/echo")).result!.statusCode).toBe(200);
    expect(result(await get("test-http", "http://api.example.com:8443/echo")).result!.statusCode).toBe(200);
    expect(await get("test-http", "http://example.org/echo")).toBe('{"error":"host \\"example.org\\" is not allowed"}');
    expect(await get("test-http", "http://API.example.com/echo")).toBe('{"error":"host \\"API.example.com\\" is not allowed"}');
  });

  it("refuses unlisted hosts even when the operator pinned them", async () => {
    expect(await get("test-http", "http://other.example.net:9000/echo")).toBe('{"error":"host \\"other.example.net:9000\\" is not allowed"}');
  });

  it("allows private addresses that are listed, literal or resolved", async () => {
    expect(result(await get("test-http", `http://127.0.0.1:${port}/echo`)).result!.statusCode).toBe(200);
    expect(result(await get("test-http", `http://internal.test:${port}/echo`)).result!.statusCode).toBe(200);
  });

  it("with '*' allows everything, private literals included", async () => {
    expect(result(await get("http-star", `http://127.0.0.1:${port}/echo`)).result!.statusCode).toBe(200);
  });

  it("is not granted without the http permission: the plugin fails to load", async () => {
    await expect(manager.enable("http-no-permission")).rejects.toThrow(/"http_send" is not exported in module "extism:host\/user"/);
  });
});

describe("http_send without requiredHosts: private addresses refused", () => {
  it("refuses localhost and private, loopback and link-local literals (Appendix A wording)", async () => {
    expect(await get("http-open", "http://10.0.0.5")).toBe('{"error":"host \\"10.0.0.5\\" is not allowed: private/loopback addresses require explicit requiredHosts in manifest"}');
    for (const host of [`127.0.0.1:${port}`, "LocalHost:8080", "[::1]:80", "192.168.1.1", "172.16.0.1", "169.254.169.254", "[fe80::1]", "[fd00::1]", "[::ffff:10.0.0.1]", "224.0.0.251"])
      expect(await get("http-open", `http://${host}/x`)).toBe(`{"error":"host ${JSON.stringify(host).replace(/"/g, '\\"')} is not allowed: private/loopback addresses require explicit requiredHosts in manifest"}`);
  });

  it("refuses a public name that resolves to a private address (Tessitura's DNS check)", async () => {
    expect(await get("http-open", `http://rebind.example.net:${port}/echo`)).toBe(
      `{"error":"host \\"rebind.example.net:${port}\\" is not allowed: it resolves to 127.0.0.1; private/loopback addresses require explicit requiredHosts in manifest"}`,
    );
    expect(await get("http-open", "http://mixed.example.net/")).toMatch(/is not allowed: it resolves to 10\.1\.2\.3;/);
    expect(await get("http-open", `http://2130706433:${port}/echo`)).toMatch(/^\{"error":"host \\"2130706433:\d+\\" is not allowed: it resolves to 127\.0\.0\.1;/);
  });

  it("reaches operator-pinned names (the pin applies after the allow-list)", async () => {
    expect(result(await get("http-open", "http://api.example.com/echo")).result!.statusCode).toBe(200);
  });
});

describe("http_send redirects", () => {
  it("follows up to 5 redirects and returns the 6th 3xx as the result", async () => {
    expect(bodyOf(await get("test-http", "http://api.example.com/redirect/5"))).toBe("done");
    const capped = result(await get("test-http", "http://api.example.com/redirect/6")).result!;
    expect(capped.statusCode).toBe(302);
    expect(capped.headers!.Location).toBe("/redirect/0");
  });

  it("returns the 3xx itself with noFollowRedirects", async () => {
    const r = result(await get("test-http", "http://api.example.com/redirect/2", { noFollowRedirects: true })).result!;
    expect(r).toMatchObject({ statusCode: 302, headers: { Location: "/redirect/1" } });
  });

  it("fails the call when a hop goes to a host that is not allowed", async () => {
    const to = (url: string) => `http://api.example.com/redirect-to?url=${encodeURIComponent(url)}`;
    expect(await get("test-http", to("http://evil.example.net/steal"))).toBe('{"error":"Get \\"http://evil.example.net/steal\\": host \\"evil.example.net\\" is not allowed"}');
    expect(await get("http-open", to("http://10.0.0.5/x"))).toBe(
      '{"error":"Get \\"http://10.0.0.5/x\\": host \\"10.0.0.5\\" is not allowed: private/loopback addresses require explicit requiredHosts in manifest"}',
    );
    expect(await get("http-open", to(`http://rebind.example.net:${port}/echo`))).toMatch(/^\{"error":"Get \\"http:\/\/rebind\.example\.net:\d+\/echo\\": host \\"rebind\.example\.net:\d+\\" is not allowed: it resolves to 127\.0\.0\.1;/);
  });

  it("turns POST into a body-less GET on 303 and repeats it on 307", async () => {
    const body = Buffer.from("payload").toString("base64");
    await send("test-http", { method: "POST", url: "http://api.example.com/redirect-to?code=303&url=/echo", body });
    expect(seen.get("/echo")).toMatchObject({ method: "GET", body: "" });
    await send("test-http", { method: "POST", url: "http://api.example.com/redirect-to?code=307&url=/echo", body });
    expect(seen.get("/echo")).toMatchObject({ method: "POST", body: "payload" });
  });

  it("drops credentials when a redirect leaves the original domain", async () => {
    const headers = { Authorization: "Bearer secret", "X-Keep": "yes" };
    await get("test-http", "http://api.example.com/redirect-to?url=/echo", { headers });
    expect(seen.get("/echo")!.headers).toMatchObject({ authorization: "Bearer secret", "x-keep": "yes", referer: "http://api.example.com/redirect-to?url=/echo" });
    await get("test-http", `http://api.example.com/redirect-to?url=${encodeURIComponent("http://deep.sub.example.org/echo")}`, { headers });
    expect(seen.get("/echo")!.headers.authorization).toBeUndefined();
    expect(seen.get("/echo")!.headers["x-keep"]).toBe("yes");
  });
});
