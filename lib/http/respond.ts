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
