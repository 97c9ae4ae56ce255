/** JSON response helpers shared by every route handler. */
export function json(body: unknown, init: ResponseInit = {}): Response {
  return Response.json(body, init);
}

export function empty(status = 204, headers?: HeadersInit): Response {
  return new Response(null, { status, headers });
}

/** The error body of every /api and /auth failure: `{ error, fields? }`. */
export function errorBody(message: string, fields?: Record<string, string>) {
  return fields ? { error: message, fields } : { error: message };
}

/**
 * `Content-Disposition: attachment` for any file name (RFC 6266): an ASCII `filename` for old
 * clients (other characters become `_`) and the exact name as UTF-8 in `filename*` (RFC 5987).
 * A header value cannot hold characters above U+00FF or control characters at all.
 */
export function attachmentDisposition(fileName: string): string {
  const name = fileName.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"); // encodeURIComponent throws on lone surrogates
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/gu, "_");
  const utf8 = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
