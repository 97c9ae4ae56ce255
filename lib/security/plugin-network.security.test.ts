import dns from "node:dns";
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocketServer } from "ws";
import { fetchExternalImage } from "../media/external-image";
import { Engine, type EngineModule } from "../plugins/engine";
import type { PluginManager } from "../plugins/manager";
import { HOST_OVERRIDES_ENV } from "../net/host-overrides";
import { callHost } from "../testing/background-plugins";
import { bootWithVariants, forward } from "../testing/host-plugins";

// Issue "Trust the sandbox", findings 2 and 3 and their class: no plugin network path
// (built-in http_request, http_send, websocket_connect, agent image fetches) reaches an
// address outside its grant. The grant below lists 127.0.0.2 (the "granted" server) and
// a few names; the "forbidden" server listens on 127.0.0.1 and [::1], same port, and
// counts every TCP connection it gets: each vector must leave it at zero.

const GRANT = ["127.0.0.2", "granted.test", "rebind.test", "mixed.test", "localhost"];
let port = 0;
let forbiddenHits = 0;
let grantedHits = 0;
const servers: http.Server[] = [];
let manager: PluginManager;
let engine: Engine;
let httpRequestPlugin: EngineModule;

/** Simulated DNS: names the grant lists resolve to the forbidden address; `rebind.test` only after its first answer. */
let rebindAnswers = 0;
const dnsAnswers = (hostname: string): string[] | null => {
  switch (hostname.toLowerCase()) {
    case "granted.test":
    case "localhost":
    case "localhost.":
      return ["127.0.0.1"];
    case "mixed.test":
      return ["93.184.215.14", "127.0.0.1"];
    case "rebind.test":
      return rebindAnswers++ === 0 ? ["127.0.0.2"] : ["127.0.0.1"];
    case "images.test":
      return ["127.0.0.2"];
  }
  return null;
};

function serve(host: string, onConnection: () => void, p: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, "http://x");
    const to = url.searchParams.get("to");
    if (url.pathname === "/redirect" && to) {
      res.writeHead(302, { Location: to });
      return res.end();
    }
    res.writeHead(200, { "Content-Type": "image/png" });
    res.end(host);
  });
  server.on("connection", onConnection);
  new WebSocketServer({ server });
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(p, host, () => resolve(server));
  });
}

beforeAll(async () => {
  // One port on three loopback addresses: only 127.0.0.2 is granted.
  for (let attempt = 0; ; attempt++) {
    try {
      const granted = await serve("127.0.0.2", () => grantedHits++, 0);
      port = (granted.address() as net.AddressInfo).port;
      await serve("127.0.0.1", () => forbiddenHits++, port);
      await serve("::1", () => forbiddenHits++, port);
      break;
    } catch (err) {
      for (const s of servers.splice(0)) s.close();
      if (attempt > 5) throw err;
    }
  }
  const realLookup = dns.promises.lookup.bind(dns.promises);
  vi.spyOn(dns.promises, "lookup").mockImplementation(((hostname: string, opts: dns.LookupAllOptions) => {
    const answers = dnsAnswers(hostname);
    if (answers) return Promise.resolve(answers.map((address) => ({ address, family: net.isIP(address) })));
    if (net.isIP(hostname)) return realLookup(hostname, opts);
    return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname }));
  }) as typeof dns.promises.lookup);
  // The agent image client takes operator pins: `images.test` is the granted server, to test its redirects.
  process.env[HOST_OVERRIDES_ENV] = `images.test=127.0.0.2:${port}`;

  ({ manager } = await bootWithVariants([
    { base: "test-http", id: "net-http", manifest: (m) => void (m.permissions!.http!.requiredHosts = GRANT) },
    { base: "test-http", id: "net-http-open", manifest: (m) => void delete m.permissions!.http!.requiredHosts },
    { base: "test-websocket", id: "net-ws", manifest: (m) => void (m.permissions!.websocket!.requiredHosts = GRANT) },
  ]));
  for (const id of ["net-http", "net-http-open", "net-ws"]) await manager.enable(id);
  engine = new Engine({ workers: 1 });
  const wasm = new Uint8Array(readFileSync(path.join(import.meta.dirname, "../../build/plugins/test-state.wasm")));
  httpRequestPlugin = await engine.load(wasm, {
    name: "net-http-request",
    hostFunctions: { cache_getstring: () => new TextEncoder().encode("{}") },
    config: {},
    allowedHosts: GRANT,
    logLevel: "info",
    timeoutMs: 10_000,
    memoryLimitBytes: 64 * 1024 * 1024,
  });
});

afterAll(async () => {
  delete process.env[HOST_OVERRIDES_ENV];
  await engine?.close();
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

beforeEach(() => {
  forbiddenHits = 0;
  grantedHits = 0;
  rebindAnswers = 0;
});

/** Every way of writing "the forbidden server" that the grant must not let through (`{port}` filled in at run time). */
const vectors = (scheme: string): [string, string][] => [
  ["the address itself", `${scheme}://127.0.0.1:{port}/`],
  ["decimal", `${scheme}://2130706433:{port}/`],
  ["octal", `${scheme}://0177.0.0.1:{port}/`],
  ["hex", `${scheme}://0x7f.1:{port}/`],
  ["short", `${scheme}://127.1:{port}/`],
  ["IPv6 loopback", `${scheme}://[::1]:{port}/`],
  ["IPv4-mapped", `${scheme}://[::ffff:127.0.0.1]:{port}/`],
  ["IPv4-mapped, hex", `${scheme}://[::ffff:7f00:1]:{port}/`],
  ["IPv4-compatible", `${scheme}://[::127.0.0.1]:{port}/`],
  ["0.0.0.0", `${scheme}://0.0.0.0:{port}/`],
  ["::", `${scheme}://[::]:{port}/`],
  ["backslash", `${scheme}://127.0.0.1:{port}\\@127.0.0.2:{port}/`],
  ["userinfo", `${scheme}://127.0.0.2:{port}@127.0.0.1:{port}/`],
  ["percent-encoded host", `${scheme}://%31%32%37.0.0.1:{port}/`],
  ["trailing dot", `${scheme}://127.0.0.1.:{port}/`],
  ["granted name resolving to loopback", `${scheme}://granted.test:{port}/`],
  ["granted localhost", `${scheme}://localhost:{port}/`],
  ["uppercase LOCALHOST", `${scheme}://LOCALHOST:{port}/`],
  ["localhost with a trailing dot", `${scheme}://localhost.:{port}/`],
  ["granted name with one private answer", `${scheme}://mixed.test:{port}/`],
];
/** A case's URL for this run: the port filled in, a redirect target URL-encoded. */
const at = (template: string) => template.replaceAll("{port}", String(port)).replace(/\{to:(.*)\}$/, (_, u: string) => encodeURIComponent(u));
/** The same targets behind a redirect from the granted server. */
const viaRedirect = (from: string): [string, string][] =>
  vectors("http")
    .filter(([name]) => name !== "backslash") // a Location with `\` is a path on the same host
    .map(([name, url]) => [`redirect to ${name}`, `${from}/redirect?to={to:${url}}`]);

const httpRequest = async (url: string): Promise<string> => {
  try {
    const r = await httpRequestPlugin.call("nd_http", new TextEncoder().encode(JSON.stringify({ url })));
    return r.error ?? new TextDecoder().decode(r.output);
  } catch (err) {
    return (err as Error).message;
  }
};

describe("Extism built-in http_request", () => {
  it("reaches the granted server (the control)", async () => {
    expect(await httpRequest(`http://127.0.0.2:${port}/`)).toBe('{"status":200,"body":"127.0.0.2"}');
    expect(grantedHits).toBe(1);
  });

  it.each([...vectors("http"), ...viaRedirect("http://127.0.0.2:{port}")])("refuses %s", async (_, url) => {
    expect(await httpRequest(at(url))).toMatch(/HTTP request to '.*' (is not allowed|failed)/);
    expect(forbiddenHits).toBe(0);
  });

  it("names the blocked hop's host when a redirect leaves the grant", async () => {
    const from = `http://127.0.0.2:${port}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${port}/rest/ping`)}`;
    expect(await httpRequest(from)).toContain(`HTTP request to '${from}' is not allowed: redirected to 'http://127.0.0.1:${port}/rest/ping', and host "127.0.0.1" is not in allowed_hosts`);
  });

  it("resolves a granted name once and connects to exactly that address (DNS rebinding)", async () => {
    expect(await httpRequest(`http://rebind.test:${port}/`)).toBe('{"status":200,"body":"127.0.0.2"}');
    expect([rebindAnswers, grantedHits, forbiddenHits]).toEqual([1, 1, 0]);
  });
});

const send = async (id: string, url: string) => JSON.parse(await forward(manager, id, "http_send", { request: { method: "GET", url } })) as { error?: string; result?: { body?: string } };

describe("http_send", () => {
  it("reaches the granted server (the control)", async () => {
    expect(Buffer.from((await send("net-http", `http://127.0.0.2:${port}/`)).result!.body!, "base64").toString()).toBe("127.0.0.2");
  });

  it.each([...vectors("http"), ...viaRedirect("http://127.0.0.2:{port}")])("refuses %s", async (_, url) => {
    expect((await send("net-http", at(url))).error).toMatch(/not allowed|invalid URL/);
    expect(forbiddenHits).toBe(0);
  });

  it.each(vectors("http"))("refuses %s without requiredHosts", async (_, url) => {
    expect((await send("net-http-open", at(url))).error).toMatch(/not allowed|invalid URL/);
    expect(forbiddenHits).toBe(0);
  });

  it("resolves a granted name once and connects to exactly that address (DNS rebinding)", async () => {
    expect(Buffer.from((await send("net-http", `http://rebind.test:${port}/`)).result!.body!, "base64").toString()).toBe("127.0.0.2");
    expect([rebindAnswers, forbiddenHits]).toEqual([1, 0]);
  });
});

const wsConnect = async (url: string) => JSON.parse(await callHost(manager, "net-ws", "nd_test_websocket", "websocket_connect", { url, headers: null, connectionId: "" })) as { error?: string; newConnectionId?: string };

describe("websocket_connect", () => {
  it("reaches the granted server (the control)", async () => {
    expect((await wsConnect(`ws://127.0.0.2:${port}/`)).newConnectionId).toBeTruthy();
  });

  it.each(vectors("ws"))("refuses %s", async (_, url) => {
    expect((await wsConnect(at(url))).error).toMatch(/not allowed/);
    expect(forbiddenHits).toBe(0);
  });

  it("refuses the reported bypass: a backslash before an allowed host's @", async () => {
    expect(await wsConnect(`ws://127.0.0.1:${port}\\@127.0.0.2/`)).toEqual({ error: 'host "127.0.0.2" is not allowed: ambiguous host in URL' });
    expect(forbiddenHits).toBe(0);
  });

  it("resolves a granted name once and connects to exactly that address (DNS rebinding)", async () => {
    expect((await wsConnect(`ws://rebind.test:${port}/`)).newConnectionId).toBeTruthy();
    expect([rebindAnswers, forbiddenHits]).toEqual([1, 0]);
  });
});

describe("agent image fetches (no grant: public addresses only)", () => {
  it("reaches an operator-pinned name (the control)", async () => {
    expect(await fetchExternalImage(`http://images.test/`)).not.toBeNull();
    expect(grantedHits).toBe(1);
  });

  it.each([...vectors("http"), ...viaRedirect("http://images.test")])("refuses %s", async (_, url) => {
    expect(await fetchExternalImage(at(url))).toBeNull();
    expect(forbiddenHits).toBe(0);
  });
});
