import { AppError } from "../errors";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "../json-depth";

/**
 * Bounded request-body reading: the one way any handler reads a body. Limits are enforced
 * while the stream is read, on the bytes that actually arrive, so neither a chunked body
 * (no Content-Length) nor a Content-Length that lies can make us buffer more than `limit`.
 * A declared Content-Length above the limit is refused before a single byte is read.
 */

const MiB = 1024 * 1024;

/** Body limits per kind of route, in bytes. */
export const BODY_LIMITS = {
  /** JSON API bodies (login, users, libraries, debug calls). */
  json: 1 * MiB,
  /** `PUT /api/plugin/:id`: a plugin's config may carry lists and long texts. */
  pluginSettings: 4 * MiB,
  /** Subsonic form posts (OpenSubsonic `formPost`): only parameters, never files. */
  subsonicForm: 1 * MiB,
  /** `POST /api/plugin/upload`: the package limit plus room for the multipart framing. */
  pluginUpload: 128 * MiB + 64 * 1024,
} as const;

export { MAX_JSON_DEPTH };

function tooLarge(limit: number): AppError {
  return new AppError("TOO_LARGE", `request body too large (limit ${limit} bytes)`);
}

/**
 * Reads the whole body, refusing it (`AppError` TOO_LARGE, HTTP 413) as soon as more than
 * `limit` bytes have arrived. On overflow the stream is left unread, not cancelled: cancelling
 * destroys the socket before the 413 is written, and closing right after it (`Connection:
 * close`) resets a client still sending, which then sees a broken pipe instead of the 413.
 * Unread, the request stays paused (TCP flow control stops the sender, nothing more is
 * buffered) until the client hangs up or the server's request timeout ends it.
 */
export async function readBodyLimited(req: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      reader.releaseLock();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The body as UTF-8 text, bounded as {@link readBodyLimited}. */
export async function readTextLimited(req: Request, limit: number): Promise<string> {
  return new TextDecoder().decode(await readBodyLimited(req, limit));
}

/** Refuses JSON text nested deeper than `maxDepth` (INVALID_INPUT, HTTP 400; see lib/json-depth.ts for why). */
export function assertJsonDepth(text: string, maxDepth = MAX_JSON_DEPTH): void {
  if (exceedsJsonDepth(text, maxDepth)) throw new AppError("INVALID_INPUT", `request body nests deeper than ${maxDepth} levels`);
}

/** Parses a JSON body: depth-checked, then parsed; malformed text is INVALID_INPUT. */
export function parseJsonBody(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  assertJsonDepth(text, maxDepth);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("INVALID_INPUT", "request body is not valid JSON");
  }
}
