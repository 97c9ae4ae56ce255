import "server-only";
import WebSocket from "ws";
import { goQuote } from "../../go-quote";
import { log } from "../../log";
import { dialErrorText } from "../../net/dial-error";
import { isHostAllowed } from "../../net/host-patterns";
import { addressGranted, bareHostname, readsSameHost } from "../../net/policy";
import { AddressNotAllowedError, pinnedLookup, resolveAllowedAddress, systemLookup, type Lookup } from "../../net/resolve";
import { decode, goField, omitEmpty } from "../go-json";
import { asyncHostFunction } from "./async-host-function";
import { checkNoOutput, PluginNotLoadedError } from "./plugin-caller";
import { newRandomId } from "./random-id";
import type { HostService, HostServiceContext } from "./registry";
import { closeErrorText, handshakeHeaders, parseWebSocketUrl } from "./websocket-wire";

/** Callback exports (contract §3.8); any subset may be exported. */
export const WS_ON_TEXT = "nd_websocket_on_text_message";
export const WS_ON_BINARY = "nd_websocket_on_binary_message";
export const WS_ON_ERROR = "nd_websocket_on_error";
export const WS_ON_CLOSE = "nd_websocket_on_close";

/**
 * Open connections per plugin. Navidrome has no limit; ours stops a plugin that opens a
 * socket on every callback from exhausting the server's file descriptors.
 */
export const MAX_CONNECTIONS_PER_PLUGIN = 64;
const HANDSHAKE_TIMEOUT_MS = 30_000;
const CLOSE_DEADLINE_MS = 5000;
const UNLOAD_CLOSE_DEADLINE_MS = 2000;
/** Incoming frames waiting for their callback beyond which the socket stops reading. */
const PAUSE_AT = 64;
const RESUME_AT = 8;

/** One open connection as the admin page shows it. */
export interface ConnectionStatus {
  id: string;
  url: string;
  openedAt: string;
  received: number;
  sent: number;
}

interface Connection {
  id: string;
  url: string;
  socket: WebSocket;
  /** Set when the plugin closes it or the plugin unloads: no further callbacks. */
  closed: boolean;
  /** Callbacks run one after another, in arrival order. */
  chain: Promise<void>;
  queued: number;
  error: string | null;
  openedAt: number;
  received: number;
  sent: number;
}

/** Sends a close frame and waits (up to `deadlineMs`) for the peer's, then drops the socket. */
async function closeSocket(socket: WebSocket, code: number, reason: string, deadlineMs: number): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return;
  const done = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  try {
    // Go sends whatever code it is given; ws refuses codes a peer may not send (and long
    // reasons), in which case the socket is simply dropped, as Go does after a failed write.
    if (code === 1005) socket.close();
    else socket.close(code, reason);
  } catch {
    socket.terminate();
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise((r) => (timer = setTimeout(r, deadlineMs)))]);
  clearTimeout(timer);
  socket.terminate();
}

/**
 * WebSocket host service (contract §4.7): outbound connections to allow-listed hosts.
 * Incoming frames are delivered to the plugin one at a time, in order; a remote close
 * with 1000/1001/1005 reaches `nd_websocket_on_close`, any other end of the connection
 * `nd_websocket_on_error`. Unload closes every connection with 1001 `plugin unloaded`.
 */
export function createWebSocketService(ctx: HostServiceContext, opts: { lookup?: Lookup } = {}): HostService {
  const lookup = opts.lookup ?? systemLookup;
  const requiredHosts = ctx.manifest.permissions?.websocket?.requiredHosts ?? [];
  const connections = new Map<string, Connection>();
  const pluginLog = log.child({ plugin: ctx.pluginId });
  let unloaded = false;

  const invoke = async (exportName: string, input: Record<string, unknown>, signal?: AbortSignal): Promise<void> => {
    try {
      checkNoOutput(await ctx.callPlugin(exportName, input, { signal }));
    } catch (err) {
      const message = (err as Error).message;
      if (err instanceof PluginNotLoadedError) pluginLog.warn({ connectionId: input.connectionId }, "Plugin not loaded for WebSocket callback");
      else {
        // Navidrome logs every failure here, a missing export included (contract §3.8).
        pluginLog.error({ connectionId: input.connectionId, callback: exportName, err: message }, "WebSocket callback failed");
        ctx.activity.log("error", `${exportName} (${input.connectionId}): ${message}`);
      }
    }
  };

  const enqueue = (conn: Connection, deliver: () => Promise<void>, final = false): void => {
    conn.queued++;
    if (conn.queued >= PAUSE_AT) conn.socket.pause();
    conn.chain = conn.chain.then(async () => {
      conn.queued--;
      if (conn.queued <= RESUME_AT && conn.socket.isPaused) conn.socket.resume();
      if (conn.closed && !final) return;
      await deliver();
    });
  };

  const attach = (conn: Connection): void => {
    const { socket, id } = conn;
    socket.on("message", (data: Buffer, isBinary: boolean) => {
      conn.received++;
      if (isBinary) enqueue(conn, () => invoke(WS_ON_BINARY, { connectionId: id, data: new Uint8Array(data) }));
      else enqueue(conn, () => invoke(WS_ON_TEXT, { connectionId: id, message: data.toString("utf8") }));
    });
    socket.on("error", (err) => {
      conn.error ??= err.message;
    });
    socket.on("close", (code: number, reason: Buffer) => {
      if (conn.closed) return;
      conn.closed = true;
      if (connections.get(id) === conn) connections.delete(id);
      const text = reason.toString("utf8");
      enqueue(
        conn,
        () =>
          conn.error === null && (code === 1000 || code === 1001 || code === 1005)
            ? invoke(WS_ON_CLOSE, { connectionId: id, code, reason: text })
            : invoke(WS_ON_ERROR, { connectionId: id, error: conn.error ?? closeErrorText(code, text) }),
        true,
      );
    });
  };

  /**
   * Where a `websocket_connect` URL may go (lib/net's rules): the allow-list sees Go's
   * split of the URL (contract wording), the WHATWG parse that `ws` dials must read the
   * same host, and the one address resolved here must be public or listed itself.
   */
  const checkTarget = async (raw: string, goHost: string): Promise<{ url: URL; address: string }> => {
    const goHostname = goHost.includes(":") ? goHost.slice(0, goHost.lastIndexOf(":")) : goHost;
    if (!isHostAllowed(requiredHosts, goHostname)) throw new Error(`host ${goQuote(goHost)} is not allowed`);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error(`host ${goQuote(goHost)} is not allowed: invalid URL`);
    }
    if (!readsSameHost(url, goHostname.replace(/^\[(.*)\]$/, "$1"))) throw new Error(`host ${goQuote(goHost)} is not allowed: ambiguous host in URL`);
    try {
      const address = await resolveAllowedAddress(bareHostname(url), lookup, (a) => addressGranted(a, (h) => isHostAllowed(requiredHosts, h)));
      return { url, address };
    } catch (err) {
      if (err instanceof AddressNotAllowedError)
        throw new Error(`host ${goQuote(goHost)} is not allowed: it resolves to ${err.address}; private/loopback addresses require the address itself in requiredHosts`);
      throw new Error(`failed to connect: ${dialErrorText(err as Error)}`);
    }
  };

  const dial = (url: string, address: string, headers: Record<string, string>, signal: AbortSignal): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const socket = new WebSocket(url, {
        // Connect to the address that was checked, never to a second DNS answer.
        lookup: pinnedLookup(address),
        headers,
        handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
        perMessageDeflate: false,
        maxPayload: 0,
        skipUTF8Validation: true,
        followRedirects: false,
      });
      const fail = (message: string) => {
        signal.removeEventListener("abort", onAbort);
        socket.removeAllListeners();
        socket.on("error", () => undefined);
        socket.terminate();
        reject(new Error(`failed to connect: ${message}`));
      };
      const onAbort = () => fail("context canceled");
      signal.addEventListener("abort", onAbort, { once: true });
      socket.once("open", () => {
        signal.removeEventListener("abort", onAbort);
        socket.removeAllListeners();
        // A frame sent right after the handshake may already be in the same packet:
        // hold it until the message listener is attached (see `attach` below).
        socket.pause();
        resolve(socket);
      });
      socket.once("unexpected-response", (req) => {
        req.destroy();
        fail("websocket: bad handshake");
      });
      socket.once("error", (err) => fail(dialErrorText(err)));
    });

  const find = (id: string): Connection => {
    const conn = connections.get(id);
    if (!conn) throw new Error(`connection ID ${goQuote(id)} not found`);
    return conn;
  };

  const send = (conn: Connection, data: string | Uint8Array, what: string): Promise<Record<string, never>> =>
    new Promise((resolve, reject) => {
      const done = (err?: Error | null) => {
        if (err) reject(new Error(`failed to send ${what} message: ${err.message}`));
        else {
          conn.sent++;
          resolve({});
        }
      };
      try {
        conn.socket.send(data, { binary: typeof data !== "string" }, done);
      } catch (err) {
        done(err as Error);
      }
    });

  return {
    functions: {
      websocket_connect: asyncHostFunction(async (req, signal) => {
        const url = decode.string(goField(req, "url"), "WebSocketConnectRequest.url", "/url") ?? "";
        const headers = decode.stringMap(goField(req, "headers"), "WebSocketConnectRequest.headers", "/headers") ?? {};
        let id = decode.string(goField(req, "connectionId"), "WebSocketConnectRequest.connectionId", "/connectionId") ?? "";
        const parsed = parseWebSocketUrl(url);
        const target = await checkTarget(url, parsed.host);
        if (id === "") id = newRandomId();
        if (connections.has(id)) throw new Error(`connection ID ${goQuote(id)} already exists`);
        if (connections.size >= MAX_CONNECTIONS_PER_PLUGIN) throw new Error(`too many open connections (limit ${MAX_CONNECTIONS_PER_PLUGIN} per plugin)`);
        const socket = await dial(target.url.href, target.address, handshakeHeaders(headers), signal);
        if (unloaded || connections.has(id)) {
          socket.terminate();
          if (unloaded) throw new Error("failed to connect: context canceled");
          throw new Error(`connection ID ${goQuote(id)} already exists`);
        }
        const conn: Connection = { id, url, socket, closed: false, chain: Promise.resolve(), queued: 0, error: null, openedAt: Date.now(), received: 0, sent: 0 };
        connections.set(id, conn);
        attach(conn);
        socket.resume();
        return omitEmpty({ newConnectionId: id });
      }),
      websocket_sendtext: asyncHostFunction(async (req) => {
        const id = decode.string(goField(req, "connectionId"), "WebSocketSendTextRequest.connectionId", "/connectionId") ?? "";
        const message = decode.string(goField(req, "message"), "WebSocketSendTextRequest.message", "/message") ?? "";
        return send(find(id), message, "text");
      }),
      websocket_sendbinary: asyncHostFunction(async (req) => {
        const id = decode.string(goField(req, "connectionId"), "WebSocketSendBinaryRequest.connectionId", "/connectionId") ?? "";
        const data = decode.bytes(goField(req, "data"), "WebSocketSendBinaryRequest.data", "/data") ?? new Uint8Array();
        return send(find(id), data, "binary");
      }),
      websocket_closeconnection: asyncHostFunction(async (req, signal) => {
        const id = decode.string(goField(req, "connectionId"), "WebSocketCloseConnectionRequest.connectionId", "/connectionId") ?? "";
        const code = decode.int(goField(req, "code"), "WebSocketCloseConnectionRequest.code", "/code", "int32") ?? 0;
        const reason = decode.string(goField(req, "reason"), "WebSocketCloseConnectionRequest.reason", "/reason") ?? "";
        const conn = find(id);
        connections.delete(id);
        conn.closed = true;
        await closeSocket(conn.socket, code, reason, CLOSE_DEADLINE_MS);
        // Delivered before this host call returns: a nested call in a new instance.
        await invoke(WS_ON_CLOSE, { connectionId: id, code, reason }, signal);
        return {};
      }),
    },
    async close() {
      unloaded = true;
      const open = [...connections.values()];
      connections.clear();
      await Promise.all(
        open.map(async (conn) => {
          conn.closed = true;
          await closeSocket(conn.socket, 1001, "plugin unloaded", UNLOAD_CLOSE_DEADLINE_MS);
          // Attempted as Navidrome does; the plugin is already out of the registry, so
          // this only logs a warning.
          await invoke(WS_ON_CLOSE, { connectionId: conn.id, code: 1001, reason: "plugin unloaded" });
        }),
      );
    },
    status: (): ConnectionStatus[] =>
      [...connections.values()].map((c) => ({ id: c.id, url: c.url, openedAt: new Date(c.openedAt).toISOString(), received: c.received, sent: c.sent })),
  };
}
