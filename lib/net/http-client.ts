import "server-only";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { goQuote } from "../go-quote";
import { canonicalIp } from "./address";
import { checkHost, checkResolvedAddress, DEFAULT_PRIVATE_HINT, HostNotAllowedError } from "./allow-list";
import { dialErrorText } from "./dial-error";
import { parseGoUrl } from "./go-url";
import { canonicalHeaderKey, isHttpToken } from "./headers";
import type { HostOverride } from "./host-overrides";
import { bareHostname, readsSameHost } from "./policy";
import { systemLookup, type Lookup } from "./resolve";

/** Used when the request's `timeoutMs` is 0 (contract §4.2). */
export const HTTP_DEFAULT_TIMEOUT_MS = 10_000;
/** Redirects followed; the next 3xx is returned as the result. */
export const HTTP_MAX_REDIRECTS = 5;
/** Response bodies are silently cut here. */
export const HTTP_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The decoded `request` of `http_send`. */
export interface SendRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  noFollowRedirects: boolean;
  body: Uint8Array | undefined;
  timeoutMs: number;
}

export interface SendResponse {
  statusCode: number;
  /** Canonical header name → first value. */
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface HttpClientOptions {
  requiredHosts: readonly string[];
  /** Operator pins (`TESSITURA_HTTP_HOST_OVERRIDES`), applied after the allow-list. */
  overrides: ReadonlyMap<string, HostOverride>;
  /** Called for refusals and the redirect cap, which Navidrome logs as warnings. */
  warn: (message: string, fields: Record<string, unknown>) => void;
  /** DNS for host names (tests inject one); the system resolver by default. */
  lookup?: Lookup;
  /** Ends private-address refusals (`host "x" is not allowed: <hint>`); the plugin host passes Navidrome's wording. */
  privateHint?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers Go's request writer takes from elsewhere, never from the header map. */
const EXCLUDED_REQUEST_HEADERS = new Set(["Host", "Content-Length", "Transfer-Encoding", "Trailer"]);
const SENSITIVE_ON_REDIRECT = new Set(["Authorization", "Www-Authenticate", "Cookie", "Cookie2"]);

/** `Get`, `Post`…: how Go's `url.Error` names the operation. */
const urlErrorOp = (method: string) => (method === "" ? "Get" : method[0] + method.slice(1).toLowerCase());
const stripPassword = (u: string) => u.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/@?#]*?:)[^/@?#]*@/, "$1***@");

class GoError extends Error {}

function abortText(signal: AbortSignal): string {
  return (signal.reason as Error | undefined)?.name === "TimeoutError" ? "context deadline exceeded" : "context canceled";
}

function networkText(err: Error & { code?: string }, signal: AbortSignal): string {
  if (signal.aborted) return abortText(signal);
  if (err.message === "socket hang up") return "EOF";
  return dialErrorText(err);
}

/** `p`, or a rejection with Go's context error as soon as `signal` aborts (DNS lookups cannot be cancelled). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error(abortText(signal)));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error(abortText(signal)));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function isDomainOrSubdomain(sub: string, parent: string): boolean {
  return sub === parent || (!isIP(parent) && sub.endsWith(`.${parent}`));
}

interface Hop {
  /** The URL as Go's error messages quote it. */
  display: string;
  url: URL;
  /** `Host` as Go sends it: as written in the URL (case kept), empty port removed. */
  hostHeader: string;
  goHost: string;
}

/**
 * The SSRF-safe outbound HTTP client: plugins' `http_send` and the server's own fetches of
 * agent-supplied URLs (lib/media/external-image) use it. It behaves like Navidrome's use
 * of Go's `http.Client` where a plugin can tell the difference: header canonicalisation, `Go-http-client/1.1` user
 * agent, transparent gzip, redirect rules and limits, first-value headers, error texts.
 * Every hop is checked by the allow-list and its address by the private-address rule,
 * and the connection goes to exactly the address that was checked.
 */
export class HttpSendClient {
  private readonly agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

  private readonly privateHint: string;

  constructor(private readonly opts: HttpClientOptions) {
    this.privateHint = opts.privateHint ?? DEFAULT_PRIVATE_HINT;
  }

  close(): void {
    this.agents["http:"].destroy();
    this.agents["https:"].destroy();
  }

  async send(req: SendRequest, callSignal: AbortSignal): Promise<SendResponse> {
    const first = this.firstHop(req.url);
    const timeout = req.timeoutMs !== 0 ? req.timeoutMs : HTTP_DEFAULT_TIMEOUT_MS;
    const signal = AbortSignal.any([callSignal, timeout > 0 ? AbortSignal.timeout(timeout) : AbortSignal.abort(new DOMException("deadline", "TimeoutError"))]);
    let method = req.method.toUpperCase() || "GET";
    if (!isHttpToken(method)) throw new GoError(`creating request: net/http: invalid method ${goQuote(method)}`);
    const op = urlErrorOp(method);
    const headers = requestHeaders(req.headers);
    let body = req.body && req.body.byteLength > 0 ? req.body : undefined;

    let hop = first;
    for (let redirects = 0; ; redirects++) {
      const { res, addedGzip } = await this.exchange(hop, method, headers, body, signal).catch((err: Error) => {
        // Refusals of the plugin's own URL read as Navidrome's; later hops as Go's client wraps them.
        throw err instanceof HostNotAllowedError && redirects === 0 ? err : new GoError(`${op} ${goQuote(hop.display)}: ${err.message}`);
      });
      const result = () => readResponse(res, method, addedGzip, signal);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.statusCode ?? 0) || location === undefined || location === "") return result();
      let next: URL;
      try {
        next = new URL(location, hop.url);
      } catch {
        res.resume();
        throw new GoError(`${op} ${goQuote(hop.display)}: failed to parse Location header ${goQuote(location)}: parse ${goQuote(location)}: invalid URL`);
      }
      if (req.noFollowRedirects) return result();
      if (redirects >= HTTP_MAX_REDIRECTS) {
        this.opts.warn("HTTP redirect limit exceeded", { url: next.href, redirectCount: redirects });
        return result();
      }
      res.resume();
      let nextHop: Hop;
      try {
        nextHop = this.hop(next.href, next.href);
        if (next.protocol !== "http:" && next.protocol !== "https:") throw new Error(`unsupported protocol scheme ${goQuote(next.protocol.slice(0, -1))}`);
      } catch (err) {
        if (err instanceof HostNotAllowedError) this.opts.warn("HTTP redirect blocked", { url: next.href, err: err.message });
        throw new GoError(`${op} ${goQuote(err instanceof HostNotAllowedError ? location : next.href)}: ${(err as Error).message}`);
      }
      // Go's redirect rules: 301/302/303 turn anything but GET/HEAD into a body-less GET;
      // 307/308 repeat the request; credentials stay only within the original domain.
      if (res.statusCode! <= 303) {
        if (method !== "GET" && method !== "HEAD") method = "GET";
        body = undefined;
      }
      for (const k of SENSITIVE_ON_REDIRECT) if (!isDomainOrSubdomain(nextHop.url.hostname, first.url.hostname)) delete headers[k];
      if (!(hop.url.protocol === "https:" && nextHop.url.protocol === "http:")) headers.Referer = refererFor(hop.url);
      else delete headers.Referer;
      hop = nextHop;
    }
  }

  /** The plugin's URL: Go's scheme and host checks with Navidrome's error texts, unwrapped. */
  private firstHop(raw: string): Hop {
    const { scheme } = parseGoUrl(raw);
    if (scheme !== "http" && scheme !== "https") throw new GoError(`invalid URL scheme ${goQuote(scheme)}: must be http or https`);
    return this.hop(raw, stripPassword(raw));
  }

  private hop(raw: string, display: string): Hop {
    const { host } = parseGoUrl(raw);
    checkHost(host, this.opts.requiredHosts, this.privateHint);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new GoError(`invalid URL: parse ${goQuote(raw)}: invalid URL`);
    }
    // The allow-list saw Go's reading of the host; refuse URLs a WHATWG parser reads as another host.
    const hostname = host.replace(/:\d*$/, "").replace(/^\[(.*)\]$/, "$1");
    if (!readsSameHost(url, hostname)) throw new HostNotAllowedError(`host ${goQuote(host)} is not allowed: ambiguous host in URL`);
    const hostHeader = /^[\x21-\x7e]*$/.test(host) ? host.replace(/:$/, "") : url.host;
    return { display, url, hostHeader, goHost: host };
  }

  /** Where to connect: an operator pin, else the (checked) IP literal or DNS answer. */
  private async resolve(hop: Hop, signal: AbortSignal): Promise<{ address: string; port: number }> {
    const hostname = bareHostname(hop.url);
    const defaultPort = Number(hop.url.port || (hop.url.protocol === "https:" ? 443 : 80));
    const pinned = this.opts.overrides.get(hostname.toLowerCase());
    if (pinned) return { address: pinned.address, port: pinned.port ?? defaultPort };
    let addresses: string[];
    if (isIP(hostname)) addresses = [canonicalIp(hostname) ?? hostname];
    else {
      try {
        // Resolved once: the request below connects to exactly the address checked here.
        addresses = await untilAborted((this.opts.lookup ?? systemLookup)(hostname), signal);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (!code) throw err;
        throw new Error(`dial tcp: lookup ${hostname}: ${code === "ENOTFOUND" || code === "ENODATA" ? "no such host" : code}`);
      }
      if (addresses.length === 0) throw new Error(`dial tcp: lookup ${hostname}: no such host`);
    }
    for (const address of addresses) {
      try {
        checkResolvedAddress(hop.goHost, address, this.opts.requiredHosts, this.privateHint);
      } catch (err) {
        this.opts.warn("HTTP request to private/loopback address blocked", { host: hop.goHost, address });
        throw err;
      }
    }
    return { address: addresses[0], port: defaultPort };
  }

  /** One request on the wire; `addedGzip` when the client asked for gzip itself (Go then decodes it). */
  private async exchange(
    hop: Hop,
    method: string,
    pluginHeaders: Record<string, string>,
    body: Uint8Array | undefined,
    signal: AbortSignal,
  ): Promise<{ res: http.IncomingMessage; addedGzip: boolean }> {
    if (signal.aborted) throw new Error(abortText(signal));
    const target = await this.resolve(hop, signal);
    const { headers, addedGzip } = wireHeaders(hop, method, pluginHeaders, body);
    const isHttps = hop.url.protocol === "https:";
    const servername = isIP(bareHostname(hop.url)) ? undefined : hop.url.hostname;
    return new Promise((resolve, reject) => {
      const request = (isHttps ? https : http).request({
        host: target.address,
        port: target.port,
        method,
        path: `${hop.url.pathname}${hop.url.search}`,
        headers,
        agent: this.agents[isHttps ? "https:" : "http:"],
        servername,
        signal,
      });
      request.once("response", (res) => resolve({ res, addedGzip }));
      request.once("error", (err) => reject(new Error(networkText(err, signal))));
      request.end(body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : undefined);
    });
  }
}

/** Status, first-value headers (Go's canonical names), and up to 10 MiB of (gunzipped) body. */
async function readResponse(res: http.IncomingMessage, method: string, addedGzip: boolean, signal: AbortSignal): Promise<SendResponse> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const k = canonicalHeaderKey(res.rawHeaders[i]);
    // Node reads header bytes as Latin-1; Go keeps the bytes, and its JSON encoder reads them as UTF-8.
    if (k !== "Transfer-Encoding" && !Object.hasOwn(headers, k)) headers[k] = Buffer.from(res.rawHeaders[i + 1], "latin1").toString("utf8");
  }
  const gzip = addedGzip && headers["Content-Encoding"]?.toLowerCase() === "gzip";
  if (gzip) {
    delete headers["Content-Encoding"];
    delete headers["Content-Length"];
  }
  const body = method === "HEAD" ? new Uint8Array() : await readBody(res, gzip, signal);
  return { statusCode: res.statusCode ?? 0, headers, body };
}

function refererFor(u: URL): string {
  const r = new URL(u.href);
  r.username = "";
  r.password = "";
  r.hash = "";
  return r.href;
}

/** The plugin's headers as Go's `Header.Set` leaves them: canonical keys, one value each. */
function requestHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[canonicalHeaderKey(k)] = v;
  return out;
}

/** What goes on the wire for one hop, in Go's words when a header cannot be sent. */
function wireHeaders(hop: Hop, method: string, plugin: Record<string, string>, body: Uint8Array | undefined): { headers: Record<string, string>; addedGzip: boolean } {
  const out: Record<string, string> = { Host: hop.hostHeader };
  const userAgent = Object.hasOwn(plugin, "User-Agent") ? plugin["User-Agent"] : "Go-http-client/1.1";
  if (userAgent !== "") out["User-Agent"] = userAgent;
  for (const [k, v] of Object.entries(plugin)) {
    if (EXCLUDED_REQUEST_HEADERS.has(k) || k === "User-Agent") continue;
    if (!isHttpToken(k)) throw new Error(`net/http: invalid header field name ${goQuote(k)}`);
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(v)) throw new Error(`net/http: invalid header field value for ${goQuote(k)}`);
    // Go sends header bytes as they are; Node writes header strings as Latin-1.
    out[k] = Buffer.from(v, "utf8").toString("latin1");
  }
  // Go turns user info in the URL into Basic credentials unless the plugin set its own.
  if ((hop.url.username || hop.url.password) && (plugin.Authorization ?? "") === "")
    out.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(hop.url.username)}:${decodeURIComponent(hop.url.password)}`).toString("base64")}`;
  const addedGzip = (plugin["Accept-Encoding"] ?? "") === "" && (plugin.Range ?? "") === "" && method !== "HEAD";
  if (addedGzip) out["Accept-Encoding"] = "gzip";
  if (body) out["Content-Length"] = String(body.byteLength);
  else if (method === "POST" || method === "PUT" || method === "PATCH") out["Content-Length"] = "0";
  return { headers: out, addedGzip };
}

async function readBody(res: http.IncomingMessage, gzip: boolean, signal: AbortSignal): Promise<Uint8Array> {
  // pipeline, not pipe: an aborted response must fail the gunzip stream too.
  const source = gzip ? pipeline(res, createGunzip(), () => {}) : res;
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const room = HTTP_MAX_BODY_BYTES - total;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      total += Math.min(chunk.length, room);
      if (total >= HTTP_MAX_BODY_BYTES) break;
    }
  } catch (err) {
    // An empty gzip body is an empty body for Go; zlib calls it a truncated stream.
    if (gzip && total === 0 && (err as { code?: string }).code === "Z_BUF_ERROR") return new Uint8Array();
    const text = signal.aborted ? abortText(signal) : gzip && (err as { code?: string }).code?.startsWith("Z_") ? `gzip: ${(err as Error).message}` : (err as Error).message;
    throw new GoError(`reading response body: ${text}`);
  } finally {
    if (total >= HTTP_MAX_BODY_BYTES || !res.complete) res.destroy();
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}
