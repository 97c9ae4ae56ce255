// test-http-endpoint: nd_http_handle_request (HTTPEndpoint, Navidrome PR #5045's framing).
// Input:  [u32 BE json length][request JSON][raw body].
// Output: [0x00][u32 BE json length][{"status","headers"} JSON][raw body], or [0x01][error message].
// Paths: /page (HTML), /echo (the request JSON and body echoed as JSON), /headers (status 201, multi-valued
// headers and attempts to override the host's security headers), /fail (error frame), /trap (traps),
// /malformed (unknown status byte), /not-implemented (returns -2), anything else: 404 text from the plugin.
import { Host } from "@extism/as-pdk";
import { abortWithError, q, utf8 } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

const PAGE =
  '<!doctype html><html><head><title>Plugin page</title></head><body><h1 id="greeting">Hello from a plugin</h1>' +
  '<p id="script-ran">script did not run</p>' +
  "<script>document.getElementById('script-ran').textContent = 'script ran';</script></body></html>";

function respond(status: i32, headersJson: string, body: Uint8Array): void {
  const json = utf8('{"status":' + status.toString() + ',"headers":' + headersJson + "}");
  const out = new Uint8Array(5 + json.length + body.length);
  out[0] = 0;
  out[1] = <u8>((json.length >>> 24) & 0xff);
  out[2] = <u8>((json.length >>> 16) & 0xff);
  out[3] = <u8>((json.length >>> 8) & 0xff);
  out[4] = <u8>(json.length & 0xff);
  out.set(json, 5);
  out.set(body, 5 + json.length);
  Host.output(out);
}

function respondError(message: string): void {
  const msg = utf8(message);
  const out = new Uint8Array(1 + msg.length);
  out[0] = 1;
  out.set(msg, 1);
  Host.output(out);
}

/** The JSON text of the "path" field (a tiny scan: the host writes it as a plain JSON string). */
function pathOf(json: string): string {
  const key = '"path":"';
  const at = json.indexOf(key);
  if (at < 0) return "";
  const end = json.indexOf('"', at + key.length);
  return json.substring(at + key.length, end);
}

export function nd_http_handle_request(): i32 {
  const input = Host.input();
  if (input.length < 4) {
    respondError("short input frame");
    return 0;
  }
  const n = (<u32>input[0] << 24) | (<u32>input[1] << 16) | (<u32>input[2] << 8) | <u32>input[3];
  const json = String.UTF8.decode(input.slice(4, 4 + <i32>n).buffer);
  const body = input.slice(4 + <i32>n);
  const path = pathOf(json);

  if (path == "/page") {
    respond(200, '{"Content-Type":["text/html; charset=utf-8"]}', utf8(PAGE));
  } else if (path.startsWith("/echo")) {
    // Long bodies are only counted: quoting a megabyte in AssemblyScript is slow.
    const text = body.length <= 4096 ? String.UTF8.decode(body.buffer) : "";
    respond(0, '{"Content-Type":["application/json"]}', utf8('{"request":' + json + ',"bodyText":' + q(text) + ',"bodyLength":' + body.length.toString() + "}"));
  } else if (path == "/headers") {
    respond(
      201,
      '{"Content-Type":["text/plain"],"X-Plugin":["one","two"],"Content-Security-Policy":["default-src *"],' +
        '"X-Content-Type-Options":["off"],"Set-Cookie":["tessitura_session=stolen; Path=/"],' +
        '"Access-Control-Allow-Origin":["*"]}',
      utf8("headers set"),
    );
  } else if (path == "/fail") {
    respondError("secret internal failure detail");
  } else if (path == "/trap") {
    unreachable();
  } else if (path == "/malformed") {
    const out = new Uint8Array(1);
    out[0] = 7;
    Host.output(out);
  } else if (path == "/not-implemented") {
    return -2;
  } else {
    respond(404, '{"Content-Type":["text/plain"]}', utf8("no such page in the plugin"));
  }
  return 0;
}
