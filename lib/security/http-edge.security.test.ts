import { createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NodeNextRequest, NodeNextResponse } from "next/dist/server/base-http/node";
import { NextRequestAdapter, signalFromNodeResponse } from "next/dist/server/web/spec-extension/adapters/next-request";
import { sendResponse } from "next/dist/server/send-response";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH_HEADER, tokenFor } from "../auth/session";
import { db } from "../db/client";
import { serveHandler } from "../testing/serve-handler";
import { bootWithVariants } from "../testing/host-plugins";
import { startSubsonicTestServer, type SubsonicTestServer } from "../testing/subsonic-test-server";
import { assertWellFormedXml, xmlElements } from "../testing/xml-check";
import * as loginRoute from "../../app/auth/login/route";
import * as restRoute from "../../app/rest/[...method]/route";
import * as uploadRoute from "../../app/api/plugin/upload/route";
import * as packageRoute from "../../app/api/plugin/[id]/package/route";
import * as pluginRoute from "../../app/api/plugin/[id]/route";
import * as callRoute from "../../app/api/plugin/[id]/call/route";
import * as librariesRoute from "../../app/api/library/route";

// Finding 8 and parts of 10 of "Trust the sandbox": request bodies are bounded while they
// stream (before authentication), hostile JSON and route params answer 400, download names
// survive any plugin id, libraries cannot expose the data folder, and XML stays well-formed.

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Server = { url: string; close: () => Promise<void> };

const MiB = 1024 * 1024;
const UNICODE_ID = "überplugin-€";
let admin = "";
let dataFolder = "";
let pluginsFolder = "";
let subsonic: SubsonicTestServer;

beforeAll(async () => {
  const booted = await bootWithVariants([{ base: "test-config" }, { base: "test-config", id: UNICODE_ID }], { ND_SCANNER_SCANONSTARTUP: "false" });
  pluginsFolder = booted.pluginsFolder;
  dataFolder = booted.dataFolder;
  admin = await tokenFor(await db().user.findFirstOrThrow({ where: { isAdmin: true } }));
  // Boot is once per process: this reuses the server above and adds the scanned demo library.
  subsonic = await startSubsonicTestServer();
});
afterAll(() => subsonic?.close());

/**
 * Serves a route handler the way `next start` does: Next's own adapter turns the Node request
 * into the `Request` the handler sees, and Next's `sendResponse` writes the answer. So these
 * tests also prove that Next hands route handlers the body as a stream, unbuffered.
 */
async function serveLikeNext(handler: Handler, params: Record<string, string> = {}): Promise<Server> {
  const server = createServer(async (req, res) => {
    const nodeReq = new NodeNextRequest(req as never);
    const nextReq = NextRequestAdapter.fromNodeNextRequest(nodeReq, signalFromNodeResponse(res));
    const response = await handler(nextReq, { params: Promise.resolve(params) });
    await sendResponse(nodeReq, new NodeNextResponse(res), response);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

const transports: [string, (h: Handler) => Promise<Server>][] = [
  ["Next's request adapter", (h) => serveLikeNext(h)],
  // The production server's own bridge, which answers the Subsonic API under `npm start` (lib/http/fast-path.ts).
  ["the fast path's bridge", (h) => serveHandler((req) => h(req, { params: Promise.resolve({}) }))],
];

interface Streamed {
  status: number;
  text: string;
  /** Body bytes the client had handed to the socket when the answer arrived. */
  sent: number;
}

/**
 * Streams up to `total` body bytes (chunked unless `headers` sets Content-Length) and stops
 * writing as soon as the response arrives. Waits on events only: the write loop resumes on
 * `drain` or on the response, whichever comes first.
 */
async function streamBody(url: string, opts: { total: number; headers?: Record<string, string>; prefix?: Buffer; chunk?: Buffer }): Promise<Streamed> {
  const chunk = opts.chunk ?? Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  let responded = false;
  let wake = () => {};
  const req = request(url, { method: "POST", headers: opts.headers });
  const answer = new Promise<Streamed>((resolve, reject) => {
    req.on("response", (res: IncomingMessage) => {
      responded = true;
      const at = sent;
      wake();
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => resolve({ status: res.statusCode!, text: Buffer.concat(parts).toString(), sent: at }));
      res.on("error", reject);
    });
    req.on("error", (err) => {
      wake();
      if (!responded) reject(err);
    });
  });
  if (opts.prefix) {
    req.write(opts.prefix);
    sent += opts.prefix.length;
  }
  let failed = false;
  answer.catch(() => (failed = true));
  while (!responded && !failed && sent < opts.total) {
    const part = chunk.subarray(0, Math.min(chunk.length, opts.total - sent));
    sent += part.length;
    if (!req.write(part))
      await new Promise<void>((r) => {
        wake = r;
        req.once("drain", r);
      });
  }
  if (!responded) req.end();
  try {
    return await answer;
  } finally {
    req.destroy();
  }
}

describe("request bodies are bounded while they stream (finding 8)", () => {
  for (const [name, serve] of transports) {
    describe(`via ${name}`, () => {
      it("/auth/login: a chunked body without Content-Length gets 413 long before it is all sent", async () => {
        const server = await serve(loginRoute.POST as Handler);
        try {
          const r = await streamBody(`${server.url}/auth/login`, { total: 64 * MiB, headers: { "content-type": "application/json" }, prefix: Buffer.from('{"username":"') });
          expect(r.status).toBe(413);
          expect(JSON.parse(r.text).error).toMatch(/too large/);
          // 1 MiB limit; the rest is socket buffers. Far below the 64 MiB the client was ready to send.
          expect(r.sent).toBeLessThan(16 * MiB);
        } finally {
          await server.close();
        }
      });

      it("/auth/login: a declared Content-Length above the limit is refused before any body is read", async () => {
        const server = await serve(loginRoute.POST as Handler);
        try {
          const r = await streamBody(`${server.url}/auth/login`, { total: 32 * MiB, headers: { "content-type": "application/json", "content-length": String(32 * MiB) } });
          expect(r.status).toBe(413);
          expect(r.sent).toBeLessThan(16 * MiB);
        } finally {
          await server.close();
        }
      });

      it("/rest form posts: refused before authentication, in the Subsonic format asked for, with HTTP 413", async () => {
        const server = await serve(restRoute.POST as Handler);
        try {
          const r = await streamBody(`${server.url}/rest/ping.view?f=json`, {
            total: 64 * MiB,
            headers: { "content-type": "application/x-www-form-urlencoded" },
            prefix: Buffer.from("u=nobody&p=wrong&x="),
            chunk: Buffer.alloc(64 * 1024, 0x61),
          });
          expect(r.status).toBe(413);
          expect(r.sent).toBeLessThan(16 * MiB);
          // Not "wrong username or password": the body was refused before credentials were looked at.
          expect(JSON.parse(r.text)["subsonic-response"]).toMatchObject({ status: "failed", error: { code: 0, message: expect.stringMatching(/too large/) } });
          const xml = await streamBody(`${server.url}/rest/ping.view`, { total: 8 * MiB, headers: { "content-type": "application/x-www-form-urlencoded" }, chunk: Buffer.alloc(64 * 1024, 0x61) });
          expect(xml.status).toBe(413);
          expect(assertWellFormedXml(xml.text)).toBe("subsonic-response");
        } finally {
          await server.close();
        }
      });
    });
  }

  it("/rest form posts within the limit still work (credentials in the body)", async () => {
    const server = await serveLikeNext(restRoute.POST as Handler);
    try {
      const body = new URLSearchParams({ ...subsonic.creds.admin, v: "1.16.1", c: "test", f: "json" }).toString();
      const res = await fetch(`${server.url}/rest/ping.view`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
      expect((await res.json())["subsonic-response"].status).toBe("ok");
    } finally {
      await server.close();
    }
  });

  it("upload: a chunked body over the 128 MiB package limit is cut off at the limit (413)", async () => {
    const server = await serveLikeNext(uploadRoute.POST as Handler);
    try {
      const boundary = "----edge";
      const r = await streamBody(`${server.url}/api/plugin/upload`, {
        total: 200 * MiB,
        headers: { "content-type": `multipart/form-data; boundary=${boundary}`, [AUTH_HEADER]: `Bearer ${admin}` },
        prefix: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.ndp"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        chunk: Buffer.alloc(256 * 1024, 1),
      });
      expect(r.status).toBe(413);
      expect(r.sent).toBeLessThan(160 * MiB);
    } finally {
      await server.close();
    }
  });

  it("upload: a package within the limit is still installed", async () => {
    const server = await serveLikeNext(uploadRoute.POST as Handler);
    try {
      const form = new FormData();
      form.append("file", new Blob([readFileSync(path.join(pluginsFolder, "test-config.ndp"))]), "uploaded-edge.ndp");
      const res = await fetch(`${server.url}/api/plugin/upload`, { method: "POST", headers: { [AUTH_HEADER]: `Bearer ${admin}` }, body: form });
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ id: "uploaded-edge", replaced: false });
    } finally {
      await server.close();
    }
  });
});

const asAdmin = (method: string, body?: string) => new Request("http://127.0.0.1/x", { method, headers: { "content-type": "application/json", [AUTH_HEADER]: `Bearer ${admin}` }, body });
const deepArray = (n: number) => "[".repeat(n) + "]".repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);

describe("deeply nested JSON answers 400, not 500 (finding 10)", () => {
  const cases: [string, Handler, Record<string, string>, string][] = [
    ["PUT /api/plugin/:id (config)", pluginRoute.PUT as Handler, { id: "test-config" }, `{"config":${deepObject(5000)}}`],
    ["PUT /api/plugin/:id (whole body)", pluginRoute.PUT as Handler, { id: "test-config" }, deepObject(5000)],
    ["POST /api/plugin/:id/call", callRoute.POST as Handler, { id: "test-config" }, `{"function":"x","input":${deepArray(5000)}}`],
    ["POST /api/library", librariesRoute.POST as Handler, {}, `{"name":${deepArray(5000)}}`],
  ];
  for (const [name, handler, params, body] of cases)
    it(name, async () => {
      const res = await handler(asAdmin(name.startsWith("PUT") ? "PUT" : "POST", body), { params: Promise.resolve(params) });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toBe("request body nests deeper than 64 levels");
    });

  it("PUT /api/plugin/:id with deep JSON inside the config string (Navidrome sends config as text)", async () => {
    const body = JSON.stringify({ config: `{"apiKey":"k","x":${deepArray(5000)}}` });
    const res = await (pluginRoute.PUT as Handler)(asAdmin("PUT", body), { params: Promise.resolve({ id: "test-config" }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "config nests deeper than 64 levels" });
    // Nothing was stored: the plugin list still renders.
    expect((await (pluginRoute.GET as Handler)(asAdmin("GET"), { params: Promise.resolve({ id: "test-config" }) })).status).toBe(200);
  });

  it("nesting up to the limit is still accepted", async () => {
    const res = await (pluginRoute.PUT as Handler)(asAdmin("PUT", `{"config":{"apiKey":"k","x":${deepArray(60)}}}`), { params: Promise.resolve({ id: "test-config" }) });
    expect(res.status).not.toBe(500);
    expect((await res.text()).includes("nests deeper")).toBe(false);
  });
});

describe("plugin package download names (finding 10)", () => {
  it("a non-Latin-1 plugin id downloads with an RFC 6266 filename* and an ASCII fallback", async () => {
    const res = await (packageRoute.GET as Handler)(asAdmin("GET"), { params: Promise.resolve({ id: UNICODE_ID }) });
    expect(res.status).toBe(200);
    const cd = res.headers.get("content-disposition")!;
    expect(cd).toBe(`attachment; filename="_berplugin-_.ndp"; filename*=UTF-8''%C3%BCberplugin-%E2%82%AC.ndp`);
    expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(path.join(pluginsFolder, `${UNICODE_ID}.ndp`)))).toBe(true);
  });
});

describe("route params parsed as numbers answer 400/404, never 500 (finding 10)", () => {
  const appDir = path.join(import.meta.dirname, "../../app");
  const routeFiles = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) return routeFiles(p);
      return name === "route.ts" && /\[\w+\]/.test(path.relative(appDir, dir)) ? [p] : [];
    });
  const files = routeFiles(appDir);
  const BAD = ["abc", "1.5", "-1", "0x10", "1e3", "99999999999999999999", " ", "%00"];

  it("finds the routes with params", () => {
    expect(files.some((f) => f.includes(path.join("library", "[id]")))).toBe(true);
  });

  for (const file of files)
    it(path.relative(appDir, file), async () => {
      const mod = (await import(file)) as Record<string, Handler>;
      for (const method of ["GET", "PUT", "POST", "DELETE"])
        for (const bad of BAD) {
          if (!mod[method]) continue;
          const body = method === "PUT" || method === "POST" ? JSON.stringify({ name: "x", path: tmpdir() }) : undefined;
          const res = await mod[method](asAdmin(method, body), { params: Promise.resolve({ id: bad, token: bad }) });
          expect(res.status, `${method} ${file} with ${JSON.stringify(bad)}`).toBeLessThan(500);
        }
    });

  it("PUT /api/library/abc answers 400 invalid id", async () => {
    const mod = (await import("../../app/api/library/[id]/route")) as unknown as Record<string, Handler>;
    const res = await mod.PUT(asAdmin("PUT", JSON.stringify({ name: "x", path: tmpdir() })), { params: Promise.resolve({ id: "abc" }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("invalid library id");
  });
});

describe("libraries cannot expose the data folder (finding 10)", () => {
  const add = async (p: string, name = `lib-${Math.random()}`) => (librariesRoute.POST as Handler)(asAdmin("POST", JSON.stringify({ name, path: p })), { params: Promise.resolve({}) });

  it("refuses the data folder, folders containing it, and the plugin and cache folders with their insides", async () => {
    const pluginData = path.join(dataFolder, "plugins", "test-config");
    const cache = path.join(dataFolder, "cache", "covers");
    for (const f of [pluginData, cache]) mkdirSync(f, { recursive: true });
    const link = path.join(mkdtempSync(path.join(tmpdir(), "tess-link-")), "data");
    symlinkSync(dataFolder, link);
    const refused = [dataFolder, path.dirname(dataFolder), "/", link, path.join(dataFolder, "plugins"), pluginData, cache, pluginsFolder];
    for (const p of refused) {
      const res = await add(p);
      expect(res.status, p).toBe(400);
      expect((await res.json()).fields.path, p).toBe("overlaps the server's data folder");
    }
    expect(await db().library.count({ where: { path: { in: refused } } })).toBe(0);
  });

  it("still accepts an ordinary folder, and a music folder beside the server's files in the data folder", async () => {
    expect((await add(mkdtempSync(path.join(tmpdir(), "tess-music-")))).status).toBe(201);
    const beside = path.join(dataFolder, "more-music");
    mkdirSync(beside);
    expect((await add(beside)).status).toBe(201);
  });
});

describe("XML stays well-formed whatever the tags hold (finding 10)", () => {
  it("a title with control characters renders as well-formed XML; JSON keeps them escaped", async () => {
    const track = await db().mediaFile.findFirstOrThrow();
    const title = "Bad\u0001Ti\u0000tle\u000b\u001f\uffff end\ttab";
    await db().mediaFile.update({ where: { id: track.id }, data: { title } });
    const xml = await (await subsonic.raw("getSong", { id: track.id })).text();
    assertWellFormedXml(xml);
    expect(xmlElements(xml, "song")[0].title).toBe("Bad\uFFFDTi\uFFFDtle\uFFFD\uFFFD\uFFFD end&#9;tab");
    expect((await subsonic.json("getSong", { id: track.id })).song.title).toBe(title);
  });
});
