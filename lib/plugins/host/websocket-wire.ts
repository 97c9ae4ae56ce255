import { goQuote } from "./go-quote";

/**
 * Go-compatible texts for the WebSocket service (contract §4.7), whose errors reach
 * plugins verbatim: URL checks as Go's `url.Parse` splits a URL, gorilla/websocket's
 * close-error wording, and Go's dial-error wording for the common network failures.
 */

/** Scheme (lower-cased) and `Host` (`host[:port]`, without user info) of a URL, as Go splits them. */
export function parseWebSocketUrl(raw: string): { scheme: string; host: string } {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(raw);
  if (!m) {
    if (raw.startsWith(":")) throw new Error(`invalid URL: parse ${goQuote(raw)}: missing protocol scheme`);
    throw new Error("invalid URL scheme: must be ws:// or wss://");
  }
  const scheme = m[1].toLowerCase();
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new Error(`invalid URL: parse ${goQuote(raw)}: net/url: invalid control character in URL`);
  if (scheme !== "ws" && scheme !== "wss") throw new Error("invalid URL scheme: must be ws:// or wss://");
  let host = "";
  if (m[2].startsWith("//")) {
    const authority = m[2].slice(2).split(/[/?#]/, 1)[0];
    host = authority.slice(authority.lastIndexOf("@") + 1);
    const port = /:([^:\]]*)$/.exec(host);
    if (port && !/^\d*$/.test(port[1])) throw new Error(`invalid URL: parse ${goQuote(raw)}: invalid port ${goQuote(`:${port[1]}`)} after host`);
  }
  return { scheme, host };
}

const CLOSE_NAMES: Record<number, string> = {
  1000: " (normal)",
  1001: " (going away)",
  1002: " (protocol error)",
  1003: " (unsupported data)",
  1005: " (no frame)",
  1006: " (abnormal closure)",
  1007: " (invalid payload data)",
  1008: " (policy violation)",
  1009: " (message too big)",
  1010: " (mandatory extension missing)",
  1011: " (internal server error)",
  1015: " (TLS handshake error)",
};

/**
 * gorilla's `CloseError.Error()`, e.g. `websocket: close 4004: Authentication failed`.
 * A connection dropped without a close frame (1006) reads `… (abnormal closure): unexpected EOF`.
 */
export function closeErrorText(code: number, reason: string): string {
  const text = code === 1006 && reason === "" ? "unexpected EOF" : reason;
  return `websocket: close ${code}${CLOSE_NAMES[code] ?? ""}${text ? `: ${text}` : ""}`;
}

/** Node's dial errors in Go's words where they have a counterpart; otherwise Node's message. */
export function dialErrorText(err: Error & { code?: string; address?: string; port?: number; hostname?: string }): string {
  const addr = err.address ? `${err.address.includes(":") ? `[${err.address}]` : err.address}:${err.port}` : "";
  switch (err.code) {
    case "ECONNREFUSED":
      return `dial tcp ${addr}: connect: connection refused`;
    case "ENOTFOUND":
      return `dial tcp: lookup ${err.hostname}: no such host`;
    case "ETIMEDOUT":
      return `dial tcp ${addr}: i/o timeout`;
    case "ECONNRESET":
      return `read tcp ${addr}: connection reset by peer`;
  }
  if (err.message === "Opening handshake has timed out") return "i/o timeout";
  return err.message;
}

/** Go's `CanonicalMIMEHeaderKey`: `x-api-key` ⇒ `X-Api-Key` (keys with other characters are kept as they are). */
export function canonicalHeaderKey(key: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(key)) return key;
  return key.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

const RESERVED = new Set(["Upgrade", "Connection", "Sec-Websocket-Key", "Sec-Websocket-Version", "Sec-Websocket-Extensions"]);

/** Handshake headers as gorilla's dialer takes them: canonical keys, the handshake's own refused. */
export function handshakeHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const key = canonicalHeaderKey(k);
    if (RESERVED.has(key)) throw new Error(`failed to connect: websocket: duplicate header not allowed: ${key}`);
    out[key] = v;
  }
  return out;
}
