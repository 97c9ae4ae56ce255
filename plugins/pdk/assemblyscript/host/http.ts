// HTTP host service (`http` permission, contract §4.2): `http_send`.
//
// With `requiredHosts` in the manifest only those hosts are reachable (`*`, exact names,
// `*.example.com`); without, any public host but no localhost or private addresses. Redirects
// are followed up to 5 times, bodies are cut at 10 MiB, each request times out after 10 s
// unless `timeoutMs` says otherwise. Every status code is a result; only network failures are errors.
import { hostRequest, hostResponse } from "../lib/host";
import { utf8 } from "../lib/io";
import { JSONValue, JSONWriter, parseJSON } from "../lib/json";
import { HostResult } from "../lib/results";

@external("extism:host/user", "http_send")
declare function http_send(offset: u64): u64;

export class HttpRequest {
  method: string = "GET";
  url: string = "";
  headers: Map<string, string> = new Map<string, string>();
  body: Uint8Array = new Uint8Array(0);
  /** 0: the host's default (10 s). */
  timeoutMs: i32 = 0;
  /** Return a 3xx response instead of following it. */
  noFollowRedirects: bool = false;

  constructor(method: string, url: string) {
    this.method = method;
    this.url = url;
  }

  header(name: string, value: string): HttpRequest {
    this.headers.set(name, value);
    return this;
  }

  bodyText(text: string, contentType: string = "text/plain; charset=utf-8"): HttpRequest {
    this.body = utf8(text);
    return this.header("Content-Type", contentType);
  }

  bodyJSON(json: string): HttpRequest {
    return this.bodyText(json, "application/json");
  }

  timeout(ms: i32): HttpRequest {
    this.timeoutMs = ms;
    return this;
  }

  /** Sends the request with `http_send`. */
  send(): HttpResponse {
    const w = new JSONWriter().beginObject().beginObject("request");
    w.string("method", this.method).string("url", this.url).stringMap("headers", this.headers);
    w.bool("noFollowRedirects", this.noFollowRedirects);
    if (this.body.length > 0) w.bytes("body", this.body);
    w.int("timeoutMs", this.timeoutMs).endObject().endObject();
    const res = hostResponse(http_send(hostRequest(w.toString())));
    const r = new HttpResponse();
    if (r.takeError(res)) return r;
    const result = res.getObject("result");
    r.statusCode = result.getI32("statusCode");
    r.headers = result.getStringMap("headers");
    r.body = result.getBytes("body");
    return r;
  }
}

export class HttpResponse extends HostResult {
  statusCode: i32 = 0;
  /** Canonical header names (`Content-Type`), first value of each. */
  headers: Map<string, string> = new Map<string, string>();
  body: Uint8Array = new Uint8Array(0);

  /** Sent and answered with a 2xx status. */
  get success(): bool {
    return this.error === null && this.statusCode >= 200 && this.statusCode < 300;
  }

  /** A response header by name, any case ("" when absent). */
  header(name: string): string {
    const lower = name.toLowerCase();
    const keys = this.headers.keys();
    for (let i = 0; i < keys.length; i++) if (keys[i].toLowerCase() == lower) return this.headers.get(keys[i]);
    return "";
  }

  text(): string {
    return String.UTF8.decode(this.body.buffer);
  }

  /** The body parsed as JSON, or null. */
  json(): JSONValue | null {
    return parseJSON(this.text());
  }
}

export class Http {
  static get(url: string): HttpResponse {
    return new HttpRequest("GET", url).send();
  }

  static postJSON(url: string, json: string): HttpResponse {
    return new HttpRequest("POST", url).bodyJSON(json).send();
  }
}

/** Percent-encodes `s` for a URL query value or path segment (UTF-8, RFC 3986 unreserved kept). */
export function urlEncode(s: string): string {
  const bytes = utf8(s);
  const hex = "0123456789ABCDEF";
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = <i32>bytes[i];
    const unreserved = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x2d || b == 0x2e || b == 0x5f || b == 0x7e;
    out += unreserved ? String.fromCharCode(b) : "%" + hex.charAt(b >> 4) + hex.charAt(b & 15);
  }
  return out;
}
