// HTTPEndpoint capability (Navidrome open PR #5045): the plugin answers HTTP requests sent to
// `/ext/<plugin id>/…` and `/rest/ext/<plugin id>/…`. The manifest must declare the
// `endpoints` permission with its `auth` mode (`native` or `subsonic` also need `users`).
//
//   export * from "@tessitura/ndp-pdk/exports/http-endpoint";
//   class Hooks extends HttpEndpoint {
//     handle(req: EndpointRequest): EndpointResponse | null {
//       if (req.path == "/webhook" && req.method == "POST") return EndpointResponse.text(204, "");
//       return EndpointResponse.text(404, "not found");
//     }
//   }
//   registerHttpEndpoint(new Hooks());
//
// The host decides who may call (the `auth` mode and the admin's user scope) and forces a
// sandboxing Content-Security-Policy on every answer: served HTML can style itself and show
// data: images, but runs no script. With `auth: "none"` anyone can call: check a secret yourself.
// A handler that fails (fail(), or returns null) makes the host answer a bare 500.
import { notImplemented } from "../lib/call";
import { utf8 } from "../lib/io";
import { JSONValue } from "../lib/json";

/** The caller, for the `native` and `subsonic` modes (none for `none`). */
export class EndpointUser {
  /** The server's internal user id. */
  id: string = "";
  username: string = "";
  name: string = "";
  isAdmin: bool = false;

  static decode(v: JSONValue): EndpointUser {
    const u = new EndpointUser();
    u.id = v.getString("id");
    u.username = v.getString("username");
    u.name = v.getString("name");
    u.isAdmin = v.getBool("isAdmin");
    return u;
  }
}

/** Percent-decodes a query component (`+` is a space), as UTF-8. */
function decodeQueryComponent(s: string): string {
  const bytes = new Array<u8>(0);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x2b) {
      bytes.push(0x20);
    } else if (c == 0x25 && i + 2 < s.length && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      bytes.push(<u8>((hexValue(s.charCodeAt(i + 1)) << 4) | hexValue(s.charCodeAt(i + 2))));
      i += 2;
    } else {
      const encoded = utf8(s.charAt(i));
      for (let j = 0; j < encoded.length; j++) bytes.push(encoded[j]);
    }
  }
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i];
  return String.UTF8.decode(out.buffer);
}

function isHex(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hexValue(c: i32): i32 {
  if (c <= 0x39) return c - 0x30;
  return (c | 0x20) - 0x61 + 10;
}

/** One HTTP request to the plugin. */
export class EndpointRequest {
  method: string = "";
  /** The part after `/<plugin id>`, with a leading `/`; `""` for the plugin's root. */
  path: string = "";
  /** The raw query, without `?`. */
  query: string = "";
  /** Header name (canonical, e.g. `Content-Type`) → its values. Cookies and session headers are not forwarded. */
  headers: Map<string, string[]> = new Map<string, string[]>();
  body: Uint8Array = new Uint8Array(0);
  /** The authenticated caller; null with `auth: "none"`. */
  user: EndpointUser | null = null;

  /** Builds a request from the frame's JSON part and the raw body that follows it. */
  static decode(v: JSONValue, body: Uint8Array): EndpointRequest {
    const r = new EndpointRequest();
    r.method = v.getString("method");
    r.path = v.getString("path");
    r.query = v.getString("query");
    const h = v.getObject("headers");
    for (let i = 0; i < h.keys.length; i++) {
      const items = h.values[i].asArray();
      const values = new Array<string>(0);
      for (let j = 0; j < items.length; j++) values.push(items[j].asString());
      r.headers.set(h.keys[i], values);
    }
    r.body = body;
    const user = v.get("user");
    if (user !== null && user.isObject) r.user = EndpointUser.decode(user);
    return r;
  }

  /** The first value of a header (name matched case-insensitively), or "". */
  header(name: string): string {
    const lower = name.toLowerCase();
    const names = this.headers.keys();
    for (let i = 0; i < names.length; i++) {
      if (names[i].toLowerCase() != lower) continue;
      const values = this.headers.get(names[i]);
      if (values.length > 0) return values[0];
    }
    return "";
  }

  /** The first value of a query parameter, percent-decoded, or "". */
  queryParam(name: string): string {
    if (this.query.length == 0) return "";
    const pairs = this.query.split("&");
    for (let i = 0; i < pairs.length; i++) {
      const eq = pairs[i].indexOf("=");
      const key = decodeQueryComponent(eq < 0 ? pairs[i] : pairs[i].substring(0, eq));
      if (key == name) return eq < 0 ? "" : decodeQueryComponent(pairs[i].substring(eq + 1));
    }
    return "";
  }

  /** The body as UTF-8 text. */
  bodyText(): string {
    return String.UTF8.decode(this.body.buffer);
  }
}

/** The plugin's answer. Status 0 means 200; the host adds its security headers last. */
export class EndpointResponse {
  status: i32 = 200;
  headers: Map<string, string[]> = new Map<string, string[]>();
  body: Uint8Array = new Uint8Array(0);

  constructor(status: i32 = 200, body: Uint8Array = new Uint8Array(0)) {
    this.status = status;
    this.body = body;
  }

  /** Adds a header value (a header may have several). */
  header(name: string, value: string): EndpointResponse {
    if (this.headers.has(name)) this.headers.get(name).push(value);
    else this.headers.set(name, [value]);
    return this;
  }

  /** A text answer (`text/plain; charset=utf-8` unless told). */
  static text(status: i32, text: string, contentType: string = "text/plain; charset=utf-8"): EndpointResponse {
    return new EndpointResponse(status, utf8(text)).header("Content-Type", contentType);
  }

  /** An HTML page; it is sandboxed by the host (styles and data: images work, scripts do not run). */
  static html(status: i32, html: string): EndpointResponse {
    return EndpointResponse.text(status, html, "text/html; charset=utf-8");
  }

  /** A JSON answer from JSON text (e.g. a JSONWriter's). */
  static json(status: i32, json: string): EndpointResponse {
    return EndpointResponse.text(status, json, "application/json");
  }

  /** Raw bytes with their content type. */
  static bytes(status: i32, body: Uint8Array, contentType: string): EndpointResponse {
    return new EndpointResponse(status, body).header("Content-Type", contentType);
  }
}

export class HttpEndpoint {
  /** Answers one request. Return null after fail("…") to make the host answer 500. */
  handle(req: EndpointRequest): EndpointResponse | null {
    return notImplemented<EndpointResponse | null>();
  }
}

let registered: HttpEndpoint | null = null;

export function registerHttpEndpoint(endpoint: HttpEndpoint): void {
  registered = endpoint;
}

export function registeredHttpEndpoint(): HttpEndpoint | null {
  return registered;
}
