import { SubsonicError } from "./errors";

export const API_VERSION = "1.16.1";
export const SERVER_TYPE = "tessitura";
export const SERVER_VERSION = "0.1.0";

/**
 * A response body as plain data: scalars become XML attributes, objects and arrays
 * child elements (an array repeats its element), and a `value` key the element's text.
 */
export type SubsonicBody = { [element: string]: unknown };

export type Format = "xml" | "json" | "jsonp";

export interface FormatChoice {
  format: Format;
  callback?: string;
}

export function chooseFormat(params: URLSearchParams): FormatChoice {
  const f = params.get("f");
  if (f === "json") return { format: "json" };
  if (f === "jsonp") {
    const cb = params.get("callback") ?? "";
    // Only a plain JS identifier path may be echoed back into a script body.
    if (/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(cb)) return { format: "jsonp", callback: cb };
    return { format: "json" };
  }
  return { format: "xml" };
}

function envelope(status: "ok" | "failed"): Record<string, unknown> {
  return { status, version: API_VERSION, type: SERVER_TYPE, serverVersion: SERVER_VERSION, openSubsonic: true };
}

/**
 * Characters XML 1.0 cannot carry at all (§2.2: C0 controls other than tab, LF and CR, lone
 * surrogates, U+FFFE and U+FFFF). Tags hold whatever the files say, so these become U+FFFD
 * rather than making the document unreadable to every client.
 */
const NOT_XML_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const XML_ESCAPES: Record<string, string> = {
  "<": "&lt;",
  ">": "&gt;",
  "&": "&amp;",
  '"': "&quot;",
  "'": "&apos;",
  // Parsers turn raw tab, LF and CR in attributes into spaces (and CR into LF in text); references keep them.
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

/** Text or attribute value, escaped; characters XML cannot hold are replaced by U+FFFD. */
export function escapeXml(s: string): string {
  return s.replace(NOT_XML_CHAR, "\uFFFD").replace(/[<>&"'\t\n\r]/g, (c) => XML_ESCAPES[c]);
}

function toXml(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join("");
  if (value === null || value === undefined) return "";
  if (typeof value !== "object") return `<${name}>${escapeXml(String(value))}</${name}>`;
  let attrs = "";
  let children = "";
  let text = "";
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    if (k === "value") text = escapeXml(String(v));
    else if (typeof v === "object") children += toXml(k, v);
    else attrs += ` ${k}="${escapeXml(String(v))}"`;
  }
  return children || text ? `<${name}${attrs}>${text}${children}</${name}>` : `<${name}${attrs}/>`;
}

/** A rendered response document: its text (or its UTF-8 bytes, when kept for reuse) and Content-Type. */
export interface RenderedDocument {
  text: string | Uint8Array;
  type: string;
}

const XML_TYPE = "application/xml; charset=utf-8";
const JSON_TYPE = "application/json; charset=utf-8";

/**
 * The response document as text, XML or JSON (JSONP is JSON wrapped by `respondWith`), so a
 * caller can keep it (lib/catalog/artist-index-cache) and answer later requests with it.
 */
export function renderDocument(status: "ok" | "failed", body: SubsonicBody, format: "xml" | "json"): RenderedDocument {
  // `ping` and every write method answer the bare envelope: rendered once per format.
  if (status === "ok" && isEmpty(body)) return (EMPTY_OK[format] ??= renderFull(envelope("ok"), format));
  return renderFull({ ...envelope(status), ...body }, format);
}

const EMPTY_OK: Partial<Record<"xml" | "json", RenderedDocument>> = {};

function isEmpty(body: SubsonicBody): boolean {
  for (const _ in body) return false;
  return true;
}

function renderFull(full: Record<string, unknown>, format: "xml" | "json"): RenderedDocument {
  if (format === "xml") {
    const inner = toXml("subsonic-response", full).replace("<subsonic-response", '<subsonic-response xmlns="http://subsonic.org/restapi"');
    return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${inner}`, type: XML_TYPE };
  }
  return { text: JSON.stringify({ "subsonic-response": full }), type: JSON_TYPE };
}

/** The HTTP response for a document rendered by `renderDocument` in the format `choice` names (its XML or JSON half). */
export function respondWith(doc: RenderedDocument, choice: FormatChoice, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  const jsonp = choice.format === "jsonp";
  const text = !jsonp ? doc.text : typeof doc.text === "string" ? `${choice.callback}(${doc.text})` : Buffer.concat([Buffer.from(`${choice.callback}(`), doc.text, Buffer.from(")")]);
  return new Response(text as BodyInit, { status: init.status, headers: { "Content-Type": jsonp ? "application/javascript; charset=utf-8" : doc.type, ...init.headers } });
}

/** The response document in the chosen format; `init` sets the HTTP status (200 unless told) and extra headers. */
export function renderBody(status: "ok" | "failed", body: SubsonicBody, choice: FormatChoice, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return respondWith(renderDocument(status, body, choice.format === "xml" ? "xml" : "json"), choice, init);
}

export function renderError(err: SubsonicError, choice: FormatChoice, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return renderBody("failed", { error: { code: err.code, message: err.message } }, choice, init);
}
