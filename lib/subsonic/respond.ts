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

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
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

export function renderBody(status: "ok" | "failed", body: SubsonicBody, choice: FormatChoice): Response {
  const full = { ...envelope(status), ...body };
  if (choice.format === "xml") {
    const inner = toXml("subsonic-response", full).replace("<subsonic-response", '<subsonic-response xmlns="http://subsonic.org/restapi"');
    return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n${inner}`, { headers: { "Content-Type": "application/xml; charset=utf-8" } });
  }
  const text = JSON.stringify({ "subsonic-response": full });
  if (choice.format === "jsonp")
    return new Response(`${choice.callback}(${text})`, { headers: { "Content-Type": "application/javascript; charset=utf-8" } });
  return new Response(text, { headers: { "Content-Type": "application/json; charset=utf-8" } });
}

export function renderError(err: SubsonicError, choice: FormatChoice): Response {
  return renderBody("failed", { error: { code: err.code, message: err.message } }, choice);
}
