import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EndpointRequest, EndpointUser } from "@/lib/endpoints/endpoint";
import { DROPPED_RESPONSE_HEADERS, FORCED_ENDPOINT_HEADERS, WITHHELD_REQUEST_HEADERS, WITHHELD_SUBSONIC_PARAMS } from "@/lib/endpoints/headers";
import { callPluginFunctionRaw } from "@/lib/plugins/call";
import { decodeResponseFrame, encodeRequestFrame, FUNC_HTTP_HANDLE_REQUEST } from "@/lib/plugins/capabilities/http-endpoint";
import type { LoadedPlugin } from "@/lib/plugins/loader";
import type { EmulatedUser } from "./emulation";

/** Navidrome's `maxEndpointBodySize`; like the server, `ndp run --serve` refuses (413) rather than truncates. */
const MAX_BODY = 1024 * 1024;
/** Picks the emulated caller for `native` and `subsonic` endpoints (no password is checked). */
export const USER_HEADER = "x-ndp-user";

/** One request `ndp run --serve` answered. */
export interface ServedRequest {
  method: string;
  url: string;
  status: number;
  /** Why the plugin call failed (the client only sees a bare 500, as from the server). */
  error?: string;
  ms: number;
}

export interface EndpointServer {
  /** `http://127.0.0.1:<port>/ext/<plugin id>/` */
  url: string;
  requests: ServedRequest[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function plain(res: ServerResponse, status: number, text: string): number {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" }).end(`${text}\n`);
  return status;
}

/**
 * Serves a plugin's HTTPEndpoint the way the server mounts it (addendum A2.4–A2.7): `/ext/<id>/…`
 * and `/rest/ext/<id>/…` become `nd_http_handle_request` calls with the server's framing
 * (lib/plugins/capabilities/http-endpoint.ts), its withheld headers and its forced security
 * headers. Authentication is emulated: with `native` or `subsonic` the caller is the `--user`
 * named by the `X-Ndp-User` header (or Subsonic's `u` parameter), else the first one.
 */
export async function serveEndpoints(plugin: LoadedPlugin, users: EmulatedUser[], port: number, live?: (line: string) => void): Promise<EndpointServer> {
  const auth = plugin.manifest.permissions?.endpoints?.auth;
  const requests: ServedRequest[] = [];
  const mount = new RegExp(`^(?:/rest)?/ext/${plugin.id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:/(.*))?$`);

  async function answer(req: IncomingMessage, res: ServerResponse, note: (error: string) => void): Promise<number> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = mount.exec(url.pathname);
    if (!match || !auth || !plugin.capabilities.includes("HTTPEndpoint")) return plain(res, 404, "404 page not found");

    const query = new URLSearchParams(url.search);
    let user: EndpointUser | undefined;
    if (auth !== "none") {
      const wanted = String(req.headers[USER_HEADER] ?? (auth === "subsonic" ? (query.get("u") ?? "") : "")) || users[0]?.userName;
      const found = users.find((u) => u.userName.toLowerCase() === wanted?.toLowerCase());
      if (!found) return auth === "native" ? (res.writeHead(401, { "Content-Type": "application/json" }).end('{"error":"Not authenticated"}'), 401) : plain(res, 401, "Unauthorized");
      user = { id: `ndp-${found.userName}`, username: found.userName, name: found.name, isAdmin: found.isAdmin };
      if (auth === "subsonic") for (const k of WITHHELD_SUBSONIC_PARAMS) query.delete(k);
    }
    const body = await readBody(req);
    if (!body) return plain(res, 413, "Request body too large");

    const headers: Record<string, string[]> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i].toLowerCase();
      if (WITHHELD_REQUEST_HEADERS.has(name) || name === USER_HEADER) continue;
      const canonical = name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
      (headers[canonical] ??= []).push(req.rawHeaders[i + 1]);
    }
    const request: EndpointRequest = {
      method: req.method ?? "GET",
      path: match[1] ? `/${match[1]}` : "",
      query: auth === "subsonic" ? query.toString() : url.search.slice(1),
      headers,
      body,
      user,
    };
    let out;
    try {
      out = decodeResponseFrame(await callPluginFunctionRaw(plugin, FUNC_HTTP_HANDLE_REQUEST, encodeRequestFrame(request)));
    } catch (err) {
      note((err as Error).message);
      return plain(res, 500, "Internal Server Error");
    }
    for (const [name, values] of Object.entries(out.headers)) if (!DROPPED_RESPONSE_HEADERS.has(name.toLowerCase())) res.appendHeader(name, values);
    for (const [name, value] of Object.entries(FORCED_ENDPOINT_HEADERS)) res.setHeader(name, value);
    const status = out.status || 200;
    res.writeHead(status).end(out.body);
    return status;
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    let error: string | undefined;
    answer(req, res, (e) => (error = e))
      .catch((err) => {
        error = (err as Error).message;
        return res.headersSent ? 500 : plain(res, 500, "Internal Server Error");
      })
      .then((status) => {
        const served: ServedRequest = { method: req.method ?? "GET", url: req.url ?? "/", status, ms: Math.round(performance.now() - started), ...(error ? { error } : {}) };
        requests.push(served);
        live?.(`${served.method} ${served.url} → ${status} (${served.ms} ms)${error ? `: ${error}` : ""}`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}/ext/${plugin.id}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
