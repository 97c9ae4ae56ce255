import { authorityHost, goUrlError, hasControlCharacter, splitScheme } from "../../net/go-url";
import { canonicalHeaderKey } from "../../net/headers";

/**
 * Go-compatible texts for the WebSocket service (contract §4.7), whose errors reach
 * plugins verbatim: URL checks as Go's `url.Parse` splits a URL (lib/net/go-url) and
 * gorilla/websocket's close-error wording. Go's dial-error wording is lib/net/dial-error.
 */

/** Scheme (lower-cased) and `Host` (`host[:port]`, without user info) of a URL, as Go splits them. */
export function parseWebSocketUrl(raw: string): { scheme: string; host: string } {
  const split = splitScheme(raw);
  if (!split) {
    if (raw.startsWith(":")) throw goUrlError(raw, "missing protocol scheme");
    throw new Error("invalid URL scheme: must be ws:// or wss://");
  }
  if (hasControlCharacter(raw)) throw goUrlError(raw, "net/url: invalid control character in URL");
  if (split.scheme !== "ws" && split.scheme !== "wss") throw new Error("invalid URL scheme: must be ws:// or wss://");
  return { scheme: split.scheme, host: authorityHost(raw, split.rest) };
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
