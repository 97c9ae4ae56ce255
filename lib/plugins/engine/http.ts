/**
 * Extism's built-in `http_request` (contract §4.12), carried out on the main thread for a
 * worker. It differs from Navidrome's `http_send` on purpose: hosts are matched with glob
 * patterns against the hostname (`*` matches dots too), an empty allow-list denies every
 * request, there is no private-address filter and no default timeout beyond the call's,
 * and bodies are capped at 50 MiB.
 */

const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** gobwas/glob without separators: `*` any run, `?` one char, `[...]` classes, `{a,b}` alternatives. */
export function globToRegExp(pattern: string): RegExp {
  let re = "";
  let inClass = false;
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (inClass) {
      if (c === "]") inClass = false;
      re += c === "\\" ? "\\\\" : c;
      continue;
    }
    if (c === "\\" && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      inClass = true;
      re += pattern[i + 1] === "!" ? (i++, "[^") : "[";
    } else if (c === "{") {
      depth++;
      re += "(?:";
    } else if (c === "}" && depth > 0) {
      depth--;
      re += ")";
    } else if (c === "," && depth > 0) re += "|";
    else re += c.replace(/[.+^$()|\\/]/g, "\\$&");
  }
  try {
    return new RegExp(`^${re}$`, "s");
  } catch {
    return /$^/; // an invalid pattern matches nothing
  }
}

export function hostAllowed(hostname: string, allowed: readonly string[]): boolean {
  return allowed.some((p) => p === hostname || globToRegExp(p).test(hostname));
}

/** Go's canonical header key: `content-type` → `Content-Type`. */
function canonicalHeaderKey(k: string): string {
  return k.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
}

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
export async function builtinHttpRequest(payload: Uint8Array, allowedHosts: readonly string[], signal: AbortSignal): Promise<Uint8Array> {
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
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!hostAllowed(hostname, allowedHosts)) throw new Error(`HTTP request to '${rawUrl}' is not allowed`);

  const method = String(field(req, "method") || "GET").toUpperCase();
  const headers = new Headers();
  const h = field(req, "headers");
  if (h && typeof h === "object") for (const [k, v] of Object.entries(h as Record<string, unknown>)) headers.set(k, String(v));

  const res = await fetch(url, {
    method,
    headers,
    body: body && method !== "GET" && method !== "HEAD" ? body : undefined,
    signal,
    redirect: "follow",
  });
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > MAX_RESPONSE_BYTES) throw new Error("http: response body too large");
      chunks.push(chunk);
    }
  }
  const outHeaders: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    outHeaders[canonicalHeaderKey(k)] = v;
  });
  const hbytes = encoder.encode(JSON.stringify(outHeaders));
  const out = new Uint8Array(8 + hbytes.length + total);
  const odv = new DataView(out.buffer);
  odv.setInt32(0, res.status, true);
  odv.setUint32(4, hbytes.length, true);
  out.set(hbytes, 8);
  let at = 8 + hbytes.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
