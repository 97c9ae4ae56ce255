import "server-only";
import { createHash, hash, timingSafeEqual } from "node:crypto";
import type { User as UserRow } from "../db/rows";
import { throttledAttempt, throttledMessage } from "../auth/attempt";
import { apiKeyUser, userCredentials } from "../auth/credential-cache";
import { clientAddress } from "../http/client-address";
import { SubsonicError } from "./errors";
import type { Params } from "./params";

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The plain password of `p` (`enc:` is hex), or null when the hex is malformed. */
function decodePassword(p: string): string | null {
  if (!p.startsWith("enc:")) return p;
  const hex = p.slice(4);
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) return null;
  return Buffer.from(hex, "hex").toString("utf8");
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

const MD5_HEX = /^[0-9a-fA-F]{32}$/;

/**
 * `t` is md5(password + salt) in hex (either case), compared in constant time: every one of
 * the 32 characters is looked at whatever the first difference, with no Buffers made (this
 * runs on every token-authenticated request; issue #18). One-shot `crypto.hash` (Node ≥
 * 20.12; engines say ≥ 20.19) costs a third of a `createHash` object.
 */
function tokenMatches(password: string, salt: string, t: string): boolean {
  if (!MD5_HEX.test(t)) return false;
  const expected = hash("md5", password + salt); // lower-case hex
  let diff = 0;
  // `| 0x20` lower-cases A-F and leaves 0-9 alone (t is hex, checked above).
  for (let i = 0; i < 32; i++) diff |= (t.charCodeAt(i) | 0x20) ^ expected.charCodeAt(i);
  return diff === 0;
}

/** Throttle bucket name for API-key attempts, which name no user. */
const API_KEY_SUBJECT = "(api key)";

/**
 * An OpenSubsonic API key's user. A right key always works: keys are 192 random bits, so
 * a guesser cannot find one, and refusing before the lookup would let one bad client lock
 * every key holder behind its address out. Wrong keys are counted and logged per address,
 * and past the limit they are answered with the throttled message.
 */
async function authenticateApiKey(apiKey: string, addr: string): Promise<UserRow> {
  const user = await apiKeyUser(hashApiKey(apiKey));
  if (user) return user;
  const result = await throttledAttempt({ addr, user: API_KEY_SUBJECT, via: "api-key" }, () => null);
  throw new SubsonicError(44, !result.ok && result.retryAfter > 0 ? throttledMessage(result.retryAfter) : undefined);
}

/**
 * Authenticates a Subsonic request: `u` + `p` (plain or `enc:`), `u` + `t` + `s`
 * (md5(password + salt)), or OpenSubsonic `apiKey` (which must come alone). Failures are
 * throttled per (address, user), per user and per address (lib/auth/rate-limit). While
 * throttled the answer stays Subsonic's error 40 ("wrong username or password"), the code
 * every client handles by showing the message and asking for credentials, rather than
 * code 0, which some clients retry at once; the message says to wait.
 */
export async function authenticateSubsonic(params: Params, req?: Request): Promise<UserRow> {
  const addr = req ? clientAddress(req) : "in-process";
  const apiKey = params.string("apiKey");
  const u = params.string("u");
  if (apiKey !== undefined) {
    if (u !== undefined || params.string("p") !== undefined || params.string("t") !== undefined) throw new SubsonicError(43);
    return authenticateApiKey(apiKey, addr);
  }
  if (!u) throw new SubsonicError(10, "Required parameter 'u' is missing.");
  const p = params.string("p");
  const t = params.string("t");
  const s = params.string("s");
  if (p === undefined && (t === undefined || s === undefined)) throw new SubsonicError(10, "Required authentication parameters are missing.");
  const result = await throttledAttempt({ addr, user: u, via: p !== undefined ? "subsonic-password" : "subsonic-token" }, async () => {
    // Cached lookup (lib/auth/credential-cache); the check below and the throttle run every time.
    const found = await userCredentials(u);
    if (!found) return null;
    const { user, password } = found;
    const given = p !== undefined ? decodePassword(p) : null;
    const ok = p !== undefined ? given !== null && safeEqual(given, password) : tokenMatches(password, s!, t!);
    return ok ? user : null;
  });
  if (!result.ok) throw new SubsonicError(40, result.retryAfter > 0 ? throttledMessage(result.retryAfter) : undefined);
  return result.value;
}
