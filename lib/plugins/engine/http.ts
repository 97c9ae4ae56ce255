import http from "node:http";
import https from "node:https";
import { canonicalHeaderKey } from "../../net/headers";
import { isHostGlobAllowed } from "../../net/host-glob";
import { addressGranted, bareHostname } from "../../net/policy";
import { AddressNotAllowedError, pinnedLookup, resolveAllowedAddress, systemLookup, type Lookup } from "../../net/resolve";

/**
 * Extism's built-in `http_request` (contract §4.12), carried out on the main thread for a
 * worker. It differs from Navidrome's `http_send` on purpose: hosts are matched with glob
 * patterns against the hostname (`*` matches dots too), an empty allow-list denies every
 * request, there is no default timeout beyond the call's, and bodies are capped at 50 MiB.
 * Like every plugin network path it is bound by lib/net's address rule: each hop (the
 * URL and every redirect) must match the allow-list, the address it connects to must be
 * public or itself listed (a listed *name* resolving to a private address is refused),
 * and the socket goes to exactly the address that was checked.
 */

const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
/** Go's `http.Client` limit, which Extism's Go SDK inherits. */
export const HTTP_REQUEST_MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers the client writes itself; a plugin's copies are dropped as Go drops them. */
const CLIENT_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection"]);
const SENSITIVE_ON_REDIRECT = ["authorization", "www-authenticate", "cookie", "cookie2"];
const encoder = new TextEncoder();
const decoder = new TextDecoder();
function field(obj: Record<string, unknown>, name: string): unknown {
  let found: unknown;
  for (const k of Object.keys(obj)) if (k.toLowerCase() === name) found = obj[k];
  return found;
}

/**
 * Runs one request. `payload` is the worker's framing: u32 request-JSON length, i32 body
 * length (-1: none), the request JSON, the body. Answers i32 status, u32 headers length,
 * headers JSON, body. Refusals throw, which fails the plugin call as Extism does.
 */
export async function builtinHttpRequest(payload: Uint8Array, allowedHosts: readonly string[], signal: AbortSignal, lookup: Lookup = systemLookup): Promise<Uint8Array> {
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const reqLen = dv.getUint32(0, true);
  const bodyLen = dv.getInt32(4, true);
  const reqText = decoder.decode(payload.subarray(8, 8 + reqLen));
  const body = bodyLen >= 0 ? payload.slice(8 + reqLen, 8 + reqLen + bodyLen) : null;

  let req: Record<string, unknown>;
  try {
    const parsed = JSON.parse(reqText);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("expected a JSON object");
    req = parsed;
  } catch (err) {
    throw new Error(`invalid HTTP request: ${(err as Error).message}`);
  }
  const rawUrl = String(field(req, "url") ?? "");
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new Error(`invalid HTTP request URL: ${JSON.stringify(rawUrl)}`);
  }
  let method = String(field(req, "method") || "GET").toUpperCase();
  const headers: Record<string, string> = {};
  const h = field(req, "headers");
  if (h && typeof h === "object")
    for (const [k, v] of Object.entries(h as Record<string, unknown>)) if (!CLIENT_HEADERS.has(k.toLowerCase())) headers[k.toLowerCase()] = String(v);
  let sendBody = body && method !== "GET" && method !== "HEAD" ? body : undefined;

  const refuse = (why: string) => new Error(`HTTP request to '${rawUrl}' is not allowed${why}`);
  const firstHost = bareHostname(url);
  for (let redirects = 0; ; redirects++) {
    const hostname = bareHostname(url);
    const via = redirects === 0 ? "" : `: redirected to '${url.href}'`;
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`HTTP request to '${rawUrl}' failed${via}: unsupported protocol scheme "${url.protocol.slice(0, -1)}"`);
    if (!isHostGlobAllowed(allowedHosts, hostname)) throw refuse(redirects === 0 ? "" : `${via}, and host "${hostname}" is not in allowed_hosts`);
    let address: string;
    try {
      address = await resolveAllowedAddress(hostname, lookup, (a) => addressGranted(a, (x) => isHostGlobAllowed(allowedHosts, x)));
    } catch (err) {
      if (err instanceof AddressNotAllowedError) throw refuse(`${via}: host "${hostname}" resolves to ${err.address}, a private/loopback address not listed in allowed_hosts`);
      throw new Error(`HTTP request to '${rawUrl}' failed${via}: ${(err as Error).message}`);
    }
    const res = await exchange(url, address, method, headers, sendBody, signal).catch((err: Error) => {
      throw new Error(`HTTP request to '${rawUrl}' failed${via}: ${signal.aborted ? "context canceled" : err.message}`);
    });
    const location = res.headers.location;
    if (!REDIRECTS.has(res.statusCode ?? 0) || !location) return encodeResponse(res);
    res.resume();
    if (redirects >= HTTP_REQUEST_MAX_REDIRECTS) throw new Error(`HTTP request to '${rawUrl}' failed: stopped after ${HTTP_REQUEST_MAX_REDIRECTS} redirects`);
    try {
      url = new URL(location, url);
    } catch {
      throw new Error(`HTTP request to '${rawUrl}' failed: invalid redirect location ${JSON.stringify(location)}`);
    }
    // Go's redirect rules: 301/302/303 turn anything but GET/HEAD into a body-less GET;
    // 307/308 repeat the request; credentials do not follow the request to another host.
    if (res.statusCode! <= 303) {
      if (method !== "GET" && method !== "HEAD") method = "GET";
      sendBody = undefined;
    }
    const next = bareHostname(url);
    if (next !== firstHost && !next.endsWith(`.${firstHost}`)) for (const k of SENSITIVE_ON_REDIRECT) delete headers[k];
  }
}

/** One request on the wire, to exactly `address` (the URL's name still gives SNI and `Host`). */
function exchange(url: URL, address: string, method: string, headers: Record<string, string>, body: Uint8Array | undefined, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? https : http).request({
      protocol: url.protocol,
      hostname: bareHostname(url),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method,
      headers: body ? { ...headers, "content-length": String(body.byteLength) } : headers,
      lookup: pinnedLookup(address),
      agent: false,
      signal,
    });
    request.once("response", resolve);
    request.once("error", reject);
    request.end(body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : undefined);
  });
}

/** i32 status, u32 headers length, headers JSON (canonical names, repeated values joined), body (≤ 50 MiB). */
async function encodeResponse(res: http.IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_RESPONSE_BYTES) {
      res.destroy();
      throw new Error("http: response body too large");
    }
    chunks.push(chunk);
  }
  const outHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) outHeaders[canonicalHeaderKey(k)] = Array.isArray(v) ? v.join(", ") : v;
  const hbytes = encoder.encode(JSON.stringify(outHeaders));
  const out = new Uint8Array(8 + hbytes.length + total);
  const odv = new DataView(out.buffer);
  odv.setInt32(0, res.statusCode ?? 0, true);
  odv.setUint32(4, hbytes.length, true);
  out.set(hbytes, 8);
  let at = 8 + hbytes.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
