// webhook-receiver: an HTTP endpoint for services that push events (CI, home automation, a
// tagger…). With `auth: "none"` the host lets anyone call, so the plugin checks a shared secret
// itself, on every route: POST /hook stores the payload, GET / lists the last ones as a page,
// GET /latest answers the newest as JSON. One KVStore key per payload (time-ordered), so
// parallel deliveries never overwrite each other.
import {
  Config,
  EndpointRequest,
  EndpointResponse,
  handleAbort,
  HttpEndpoint,
  JSONWriter,
  KVStore,
  parseJSON,
  Random,
  registerHttpEndpoint,
  Time,
} from "@tessitura/ndp-pdk";

export * from "@tessitura/ndp-pdk/exports/http-endpoint";

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  handleAbort(message, fileName, line, column);
}

const PREFIX = "payload/";
/** Bodies are stored up to this many bytes (the host already cuts requests at 1 MiB). */
const MAX_STORED = 16 * 1024;

/** Compares without stopping at the first difference, so timing does not leak the secret. */
function sameSecret(given: string, expected: string): bool {
  if (given.length != expected.length) return false;
  let diff = 0;
  for (let i = 0; i < given.length; i++) diff |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff == 0;
}

/** null when the caller knows the secret, else the answer to give. */
function refuse(req: EndpointRequest): EndpointResponse | null {
  const secret = Config.getString("secret", "");
  if (secret.length == 0) return EndpointResponse.text(503, "webhook-receiver: set a shared secret in the plugin's settings first");
  const given = req.header("X-Webhook-Secret").length > 0 ? req.header("X-Webhook-Secret") : req.queryParam("secret");
  return sameSecret(given, secret) ? null : EndpointResponse.text(401, "wrong or missing secret");
}

function pad(n: i64, width: i32): string {
  let s = n.toString();
  while (s.length < width) s = "0" + s;
  return s;
}

/** Unix milliseconds as `YYYY-MM-DD HH:MM:SS UTC` (days-to-civil, proleptic Gregorian). */
function isoTime(ms: i64): string {
  const secs = ms / 1000;
  const days = secs / 86400;
  const rem = secs % 86400;
  const z = days + 719468;
  const era = z / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = doy - (153 * mp + 2) / 5 + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + " " + pad(rem / 3600, 2) + ":" + pad((rem % 3600) / 60, 2) + ":" + pad(rem % 60, 2) + " UTC";
}

function escapeHtml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

function store(req: EndpointRequest): EndpointResponse {
  const now = Time.nowMillis();
  const body = req.body.length > MAX_STORED ? req.body.subarray(0, MAX_STORED) : req.body;
  const entry = new JSONWriter()
    .beginObject()
    .int("receivedAt", now)
    .string("contentType", req.header("Content-Type"))
    .string("body", String.UTF8.decode(body.buffer.slice(body.byteOffset, body.byteOffset + body.length)))
    .bool("truncated", body.length < req.body.length)
    .endObject()
    .toString();
  // Keys sort by time: zero-padded milliseconds, then a random tail for deliveries in the same one.
  const saved = KVStore.setString(PREFIX + pad(now, 15) + "-" + Random.hex(6), entry);
  if (!saved.check("storing the payload")) return EndpointResponse.text(500, "could not store the payload");
  const keys = KVStore.list(PREFIX);
  const keep = <i32>Config.getInt("keep", 20);
  if (keys.ok) for (let i = 0; i < keys.values.length - keep; i++) KVStore.delete(keys.values[i]);
  return new EndpointResponse(204);
}

/** The stored payloads as JSON texts, newest first. */
function recent(): string[] {
  const keys = KVStore.list(PREFIX);
  const out: string[] = [];
  if (!keys.ok || keys.values.length == 0) return out;
  const values = KVStore.getMany(keys.values);
  for (let i = keys.values.length - 1; i >= 0; i--)
    if (values.values.has(keys.values[i])) out.push(String.UTF8.decode(values.values.get(keys.values[i]).buffer));
  return out;
}

function page(): EndpointResponse {
  const items = recent();
  let html =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>Webhooks</title><style>" +
    "body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}pre{background:#f4f4f4;padding:.8em;overflow:auto;white-space:pre-wrap}" +
    "h2{font-size:1em;color:#555}</style></head><body><h1>Last webhooks</h1>";
  if (items.length == 0) html += "<p>Nothing received yet. Send one: <code>curl -X POST -H 'X-Webhook-Secret: …' -d '{\"hello\":1}' …/ext/webhook-receiver/hook</code></p>";
  for (let i = 0; i < items.length; i++) {
    const v = parseJSON(items[i]);
    if (v === null) continue;
    html += "<h2>" + isoTime(v.getI64("receivedAt")) + " · " + escapeHtml(v.getString("contentType")) + (v.getBool("truncated") ? " · truncated" : "") + "</h2>";
    html += "<pre>" + escapeHtml(v.getString("body")) + "</pre>";
  }
  return EndpointResponse.html(200, html + "</body></html>");
}

class Receiver extends HttpEndpoint {
  handle(req: EndpointRequest): EndpointResponse | null {
    const refused = refuse(req);
    if (refused !== null) return refused;
    if (req.path == "/hook") {
      if (req.method != "POST") return EndpointResponse.text(405, "POST your payload here").header("Allow", "POST");
      return store(req);
    }
    if (req.method != "GET") return EndpointResponse.text(405, "method not allowed").header("Allow", "GET");
    if (req.path == "" || req.path == "/") return page();
    if (req.path == "/latest") {
      const items = recent();
      return items.length == 0 ? EndpointResponse.text(404, "nothing received yet") : EndpointResponse.json(200, items[0]);
    }
    return EndpointResponse.text(404, "no such page");
  }
}
registerHttpEndpoint(new Receiver());
