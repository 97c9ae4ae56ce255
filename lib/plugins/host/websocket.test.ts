import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket as ServerSocket } from "ws";
import { bootWithPlugins, callHost as callHostVia, pluginLines, waitFor } from "../../testing/background-plugins";
import { PluginActivity } from "../activity";
import type { PluginManager } from "../manager";
import type { Manifest } from "../manifest/types";
import type { HostServiceContext } from "./registry";
import { createWebSocketService, MAX_CONNECTIONS_PER_PLUGIN } from "./websocket";
import { canonicalHeaderKey } from "../../net/headers";
import { closeErrorText } from "./websocket-wire";

const ID = "test-websocket";
let manager: PluginManager;

/** The remote end: records what it receives; echoes text that does not start with "echo:". */
interface Peer {
  socket: ServerSocket;
  headers: IncomingHttpHeaders;
  received: { text?: string; binary?: number[] }[];
  closed: { code: number; reason: string } | null;
}
let wss: WebSocketServer;
let url = "";
const peers: Peer[] = [];
let badHandshake: Server;
let badUrl = "";

const callHost = (fn: string, request: object | string) => callHostVia(manager, ID, "nd_test_websocket", fn, request);
const connect = (connectionId: string, headers: Record<string, string> | null = null) => callHost("websocket_connect", { url, headers, connectionId });
const events = (kind: "text" | "binary" | "error" | "close", connectionId: string) =>
  pluginLines(manager, ID, `${kind} `).filter((l) => l.startsWith(`{"connectionId":"${connectionId}"`));
const peerFor = async (n: number) => waitFor(() => peers[n], 2000, `peer ${n}`);

beforeAll(async () => {
  wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((r) => wss.once("listening", r));
  url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/socket`;
  wss.on("connection", (socket, req) => {
    const peer: Peer = { socket, headers: req.headers, received: [], closed: null };
    peers.push(peer);
    // A greeting sent at once, often in the same packet as the handshake answer.
    if (req.url?.includes("greet")) socket.send("hello at once");
    socket.on("message", (data: Buffer, isBinary) => {
      if (isBinary) peer.received.push({ binary: [...data] });
      else {
        const text = data.toString();
        peer.received.push({ text });
        if (!text.startsWith("echo:")) socket.send(text);
      }
    });
    socket.on("close", (code, reason) => (peer.closed = { code, reason: reason.toString() }));
  });
  badHandshake = createServer((_, res) => res.writeHead(404).end("no"));
  await new Promise<void>((r) => badHandshake.listen(0, "127.0.0.1", r));
  badUrl = `ws://127.0.0.1:${(badHandshake.address() as { port: number }).port}/`;
  ({ manager } = await bootWithPlugins([ID]));
  await manager.enable(ID);
});
afterAll(() => {
  wss.close();
  badHandshake.close();
});
beforeEach(() => {
  peers.length = 0;
});

describe("websocket_connect", () => {
  it("connects with the given ID and handshake headers, and delivers the echo to on_text_message", async () => {
    expect(await connect("c1", { "x-test-header": "yes" })).toBe('{"newConnectionId":"c1"}');
    const peer = await peerFor(0);
    expect(peer.headers["x-test-header"]).toBe("yes");
    expect(peer.socket.protocol).toBe("");
    expect(await callHost("websocket_sendtext", { connectionId: "c1", message: "hello <there>" })).toBe("{}");
    expect(await waitFor(() => events("text", "c1")[0], 2000, "echo")).toBe('{"connectionId":"c1","message":"hello \\u003cthere\\u003e"}');
    expect(await connect("c1")).toBe('{"error":"connection ID \\"c1\\" already exists"}');
  });

  it("generates a 22-character base62 ID", async () => {
    const resp = JSON.parse(await connect("")) as { newConnectionId: string };
    expect(resp.newConnectionId).toMatch(/^[0-9A-Za-z]{22}$/);
  });

  it.each([
    ["http://127.0.0.1:1/", "invalid URL scheme: must be ws:// or wss://"],
    ["127.0.0.1:1", "invalid URL scheme: must be ws:// or wss://"],
    ["ws://evil.com/x", 'host \\"evil.com\\" is not allowed'],
    ["ws://localhost:8080/", 'host \\"localhost:8080\\" is not allowed'],
    ["ws://127.0.0.1:1/", "failed to connect: dial tcp 127.0.0.1:1: connect: connection refused"],
  ])("refuses %s", async (target, error) => {
    expect(await callHost("websocket_connect", { url: target, headers: null, connectionId: "" })).toBe(`{"error":"${error}"}`);
  });

  it("refuses handshake headers the dialer sets itself, as gorilla does", async () => {
    expect(await callHost("websocket_connect", { url, headers: { upgrade: "x" }, connectionId: "h" })).toBe('{"error":"failed to connect: websocket: duplicate header not allowed: Upgrade"}');
  });

  it("reports a refused handshake as gorilla does", async () => {
    expect(await callHost("websocket_connect", { url: badUrl, headers: null, connectionId: "bad" })).toBe('{"error":"failed to connect: websocket: bad handshake"}');
  });
});

describe("callbacks", () => {
  it("delivers incoming text frames one at a time, in order", async () => {
    await connect("order");
    const peer = await peerFor(0);
    for (let i = 0; i < 20; i++) peer.socket.send(`echo:${i}`);
    await waitFor(() => events("text", "order").length === 20, 15_000, "20 messages");
    expect(events("text", "order")).toEqual(Array.from({ length: 20 }, (_, i) => `{"connectionId":"order","message":"echo:${i}"}`));
  });

  it("delivers binary frames as base64 and the plugin echoes them back", async () => {
    await connect("bin");
    const peer = await peerFor(0);
    peer.socket.send(Buffer.from([0, 1, 2, 255]));
    expect(await waitFor(() => events("binary", "bin")[0], 2000, "binary")).toBe('{"connectionId":"bin","data":"AAEC/w=="}');
    await waitFor(() => peer.received.length === 1, 2000, "binary echo");
    expect(peer.received).toEqual([{ binary: [0, 1, 2, 255] }]);
  });

  it("lets a callback reply (echo ⇒ echo:echo)", async () => {
    await connect("talk");
    const peer = await peerFor(0);
    peer.socket.send("echo");
    await waitFor(() => peer.received.some((m) => m.text === "echo:echo"), 2000, "reply");
  });

  it.each([
    [1000, "bye"],
    [1001, "going"],
  ])("passes a remote close %i to on_close", async (code, reason) => {
    const id = `remote-${code}`;
    await connect(id);
    (await peerFor(0)).socket.close(code, reason);
    expect(await waitFor(() => events("close", id)[0], 2000, "on_close")).toBe(`{"connectionId":"${id}","code":${code},"reason":"${reason}"}`);
    expect(await callHost("websocket_sendtext", { connectionId: id, message: "x" })).toBe(`{"error":"connection ID \\"${id}\\" not found"}`);
  });

  it("passes a close frame without a status as 1005 to on_close", async () => {
    await connect("nostatus");
    (await peerFor(0)).socket.close();
    expect(await waitFor(() => events("close", "nostatus")[0], 2000, "on_close")).toBe('{"connectionId":"nostatus","code":1005,"reason":""}');
  });

  it.each([
    [4004, "Authentication failed", "websocket: close 4004: Authentication failed"],
    [1008, "nope", "websocket: close 1008 (policy violation): nope"],
  ])("turns a remote close %i into on_error", async (code, reason, error) => {
    const id = `err-${code}`;
    await connect(id);
    (await peerFor(0)).socket.close(code, reason);
    expect(await waitFor(() => events("error", id)[0], 2000, "on_error")).toBe(`{"connectionId":"${id}","error":"${error}"}`);
    expect(events("close", id)).toEqual([]);
  });

  it("turns a dropped connection into on_error (1006)", async () => {
    await connect("dropped");
    (await peerFor(0)).socket.terminate();
    expect(await waitFor(() => events("error", "dropped")[0], 2000, "on_error")).toBe(
      '{"connectionId":"dropped","error":"websocket: close 1006 (abnormal closure): unexpected EOF"}',
    );
  });

  it("logs a failing callback and keeps the connection", async () => {
    await connect("failing");
    const peer = await peerFor(0);
    peer.socket.send("fail");
    const error = await waitFor(() => manager.activity(ID).recentLines().find((l) => l.level === "error" && l.message.includes("(failing)")), 2000, "error log");
    expect(error.message).toBe("nd_websocket_on_text_message (failing): plugin call failed: text callback failed on purpose");
    expect(await callHost("websocket_sendtext", { connectionId: "failing", message: "still here" })).toBe("{}");
  });
});

describe("websocket_closeconnection", () => {
  it("closes with the code and reason and calls on_close before returning", async () => {
    await connect("mine");
    const peer = await peerFor(0);
    peer.socket.send("close");
    expect(await waitFor(() => pluginLines(manager, ID, "close -> ")[0], 3000, "closeconnection response")).toBe("{}");
    const lines = manager.activity(ID).recentLines().map((l) => l.message);
    const onClose = lines.indexOf('close {"connectionId":"mine","code":1000,"reason":"closed by plugin"}');
    expect(onClose).toBeGreaterThan(-1);
    expect(onClose).toBeLessThan(lines.indexOf("close -> {}"));
    await waitFor(() => peer.closed, 2000, "remote close");
    expect(peer.closed).toEqual({ code: 1000, reason: "closed by plugin" });
    expect(await callHost("websocket_closeconnection", { connectionId: "mine", code: 1000, reason: "" })).toBe('{"error":"connection ID \\"mine\\" not found"}');
  });

  it("reports unknown IDs on send", async () => {
    expect(await callHost("websocket_sendbinary", { connectionId: "nope", data: "AA==" })).toBe('{"error":"connection ID \\"nope\\" not found"}');
  });
});

describe("unload (contract §4.7, §9 item 13)", () => {
  it("closes every connection with 1001 'plugin unloaded' and does not deliver on_close", async () => {
    await connect("u1");
    await connect("u2");
    const [a, b] = [await peerFor(0), await peerFor(1)];
    const closesBefore = pluginLines(manager, ID, "close ").length;
    await manager.disable(ID);
    await waitFor(() => a.closed && b.closed, 3000, "remote closes");
    expect([a.closed, b.closed]).toEqual([
      { code: 1001, reason: "plugin unloaded" },
      { code: 1001, reason: "plugin unloaded" },
    ]);
    expect(pluginLines(manager, ID, "close ").length).toBe(closesBefore);
    await manager.enable(ID);
    expect(manager.loadedPlugin(ID)!.background().websocket).toEqual([]);
  });
});

describe("service rules without a plugin", () => {
  const fakeContext = (manifest: Manifest, calls: [string, unknown][] = []): HostServiceContext =>
    ({
      pluginId: "fake",
      manifest,
      config: {},
      dataFolder: "",
      activity: new PluginActivity(),
      callPlugin: async (name: string, input: unknown) => {
        calls.push([name, input]);
        return undefined;
      },
    }) as unknown as HostServiceContext;
  const call = async (fn: (i: Uint8Array, c: { plugin: string; signal: AbortSignal }) => Uint8Array | Promise<Uint8Array>, req: object) =>
    new TextDecoder().decode(await fn(new TextEncoder().encode(JSON.stringify(req)), { plugin: "fake", signal: new AbortController().signal }));

  it("allows no host at all when requiredHosts is empty", async () => {
    const svc = createWebSocketService(fakeContext({ name: "f", author: "a", version: "1", permissions: { websocket: {} } }));
    const port = (wss.address() as { port: number }).port;
    expect(await call(svc.functions.websocket_connect, { url, connectionId: "" })).toBe(`{"error":"host \\"127.0.0.1:${port}\\" is not allowed"}`);
  });

  it("refuses a listed name that resolves to an unlisted private address, and dials a listed one at the checked address", async () => {
    const port = (wss.address() as { port: number }).port;
    const lookups: string[] = [];
    const lookup = async (h: string) => (lookups.push(h), ["127.0.0.1"]);
    const byName = createWebSocketService(fakeContext({ name: "f", author: "a", version: "1", permissions: { websocket: { requiredHosts: ["ws.test"] } } }), { lookup });
    expect(await call(byName.functions.websocket_connect, { url: `ws://ws.test:${port}/`, connectionId: "" })).toBe(
      `{"error":"host \\"ws.test:${port}\\" is not allowed: it resolves to 127.0.0.1; private/loopback addresses require the address itself in requiredHosts"}`,
    );
    // With the address listed too, `ws` connects to the answer given (the name has no real DNS entry).
    const withAddress = createWebSocketService(fakeContext({ name: "f", author: "a", version: "1", permissions: { websocket: { requiredHosts: ["ws.test", "127.0.0.1"] } } }), { lookup });
    expect(await call(withAddress.functions.websocket_connect, { url: `ws://ws.test:${port}/`, connectionId: "named" })).toBe('{"newConnectionId":"named"}');
    expect((await peerFor(0)).headers.host).toBe(`ws.test:${port}`);
    expect(lookups).toEqual(["ws.test", "ws.test"]);
    await withAddress.close!();
  });

  it(`caps open connections at ${MAX_CONNECTIONS_PER_PLUGIN} per plugin`, async () => {
    const svc = createWebSocketService(fakeContext({ name: "f", author: "a", version: "1", permissions: { websocket: { requiredHosts: ["127.0.0.1"] } } }));
    for (let i = 0; i < MAX_CONNECTIONS_PER_PLUGIN; i++) expect(await call(svc.functions.websocket_connect, { url, connectionId: `k${i}` })).toBe(`{"newConnectionId":"k${i}"}`);
    expect(await call(svc.functions.websocket_connect, { url, connectionId: "one-more" })).toBe(`{"error":"too many open connections (limit ${MAX_CONNECTIONS_PER_PLUGIN} per plugin)"}`);
    await svc.close!();
  });

  it("canonicalises handshake header keys as Go's http.Header.Set", () => {
    expect(canonicalHeaderKey("x-api-key")).toBe("X-Api-Key");
    expect(canonicalHeaderKey("AUTHORIZATION")).toBe("Authorization");
    expect(canonicalHeaderKey("bad key")).toBe("bad key");
  });

  it("words close errors as gorilla/websocket", () => {
    expect(closeErrorText(4004, "Authentication failed")).toBe("websocket: close 4004: Authentication failed");
    expect(closeErrorText(1011, "")).toBe("websocket: close 1011 (internal server error)");
    expect(closeErrorText(1006, "")).toBe("websocket: close 1006 (abnormal closure): unexpected EOF");
  });
});

describe("frames right after the handshake", () => {
  it("delivers a greeting the server sends immediately (it may share the handshake's packet)", async () => {
    await callHostVia(manager, ID, "nd_test_websocket", "websocket_connect", { url: `${url}?greet=1`, connectionId: "greeted" });
    await waitFor(() => events("text", "greeted").length > 0, 15_000, "greeting");
    expect(events("text", "greeted")[0]).toContain("hello at once");
  });
});
