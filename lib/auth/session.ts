import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { cookies } from "next/headers";
import type { User as UserRow } from "../db/rows";
import { deleteSessionsEndedBefore, endSessionAt, findOrInsertSession, findSession, insertSession } from "../db/sessions";
import { findUserById, recordLogin } from "../db/users";
import { AppError } from "../errors";
import { parseDuration } from "../config";
import { findUserByName, passwordMatches, toPublicUser, type PublicUser } from "../users/users";
import { throttledAttempt, throttledMessage } from "./attempt";
import { issueToken, verifyToken, type TokenClaims } from "./token";
import { settings } from "../server/settings";

/** Cookie carrying the browser session (same token as the `x-nd-authorization` header). */
export const SESSION_COOKIE = "tessitura_session";
export const AUTH_HEADER = "x-nd-authorization";

/** Absolute session lifetime: sliding refresh never extends a token past this from sign-in. */
export const SESSION_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

export interface Session {
  user: UserRow;
  /** How the request authenticated; cookie-authenticated writes get a CSRF check. */
  via: "header" | "cookie";
  /** The session row the token belongs to. */
  sessionId: string;
  /** Absolute end of the session. */
  expiresAt: Date;
}

function sessionTtlMs(): number {
  return parseDuration(settings().SessionTimeout);
}

/**
 * A token for `user`. Without `session` this is a sign-in: a new session row is created,
 * ending {@link SESSION_MAX_AGE_MS} from `now`. With it (the sliding refresh) the token
 * keeps the session id and never outlives the session's absolute end.
 */
export async function tokenFor(user: UserRow, session?: Pick<Session, "sessionId" | "expiresAt">, now = Date.now()): Promise<string> {
  const s = session ?? (await startSession(user.id, now));
  const ttl = Math.min(sessionTtlMs(), s.expiresAt.getTime() - now);
  return issueToken({ sub: user.id, usr: user.userName, adm: user.isAdmin, gen: user.tokenGeneration, sid: s.sessionId }, ttl, now);
}

async function startSession(userId: string, now: number): Promise<Pick<Session, "sessionId" | "expiresAt">> {
  // Sign-ins are rare: a good moment to forget ended sessions. Rows stay a while after
  // they end: a revoked one is the tombstone that keeps a pre-session token revoked.
  await deleteSessionsEndedBefore(new Date(now - SESSION_MAX_AGE_MS));
  const row = await insertSession({ id: randomUUID(), userId, createdAt: new Date(now), expiresAt: new Date(now + SESSION_MAX_AGE_MS) });
  return { sessionId: row.id, expiresAt: row.expiresAt };
}

/** Ends `session` (logout): its tokens, however fresh, stop working. */
export async function endSession(session: Pick<Session, "sessionId">, now = Date.now()): Promise<void> {
  await endSessionAt(session.sessionId, new Date(now));
}

export function sessionCookie(token: string, secure: boolean): string {
  const maxAge = Math.floor(sessionTtlMs() / 1000);
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? "; Secure" : ""}`;
}

/**
 * The session of a token: well signed, unexpired, its session row alive and within its
 * absolute end, and the user's token generation unchanged. Tokens from before sessions
 * existed (no `sid`) are adopted into a session started at their `iat`, so an upgrade
 * signs nobody out while they still end 30 days after they were first issued.
 */
async function sessionForToken(token: string | undefined | null, now = Date.now()): Promise<Omit<Session, "via"> | null> {
  if (!token) return null;
  const claims = await verifyToken(token, now);
  if (!claims) return null;
  const user = await findUserById(claims.sub);
  if (!user || user.tokenGeneration !== claims.gen) return null;
  const row = claims.sid ? await findSession(claims.sid) : await adoptLegacyToken(token, claims, now);
  if (!row || row.userId !== user.id || row.expiresAt.getTime() <= now) return null;
  return { user, sessionId: row.id, expiresAt: row.expiresAt };
}

/** The session row of a token issued before sessions existed (one row per token, kept as a tombstone once revoked). */
async function adoptLegacyToken(token: string, claims: TokenClaims, now: number) {
  const expiresAt = new Date(claims.iat * 1000 + SESSION_MAX_AGE_MS);
  if (expiresAt.getTime() <= now) return null;
  const id = `legacy-${createHash("sha256").update(token).digest("hex").slice(0, 32)}`;
  return findOrInsertSession({ id, userId: claims.sub, createdAt: new Date(claims.iat * 1000), expiresAt });
}

function cookieValue(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

/** The session token a request carries: the Navidrome header first, then the cookie. */
export function requestToken(req: Request): { token: string | null; via: Session["via"] } {
  const header = req.headers.get(AUTH_HEADER);
  if (header) return { token: header.replace(/^Bearer\s+/i, ""), via: "header" };
  return { token: cookieValue(req.headers.get("cookie"), SESSION_COOKIE), via: "cookie" };
}

/** Resolves the session of an API request: the Navidrome header first, then the cookie. */
export async function authenticateRequest(req: Request, now = Date.now()): Promise<Session | null> {
  const { token, via } = requestToken(req);
  const s = await sessionForToken(token, now);
  return s ? { ...s, via } : null;
}

/** The signed-in user of a server component render, or null. */
export async function currentUser(): Promise<UserRow | null> {
  const jar = await cookies();
  return (await sessionForToken(jar.get(SESSION_COOKIE)?.value))?.user ?? null;
}

export interface LoginResult {
  user: PublicUser;
  token: string;
}

/**
 * Checks credentials under the shared throttle (lib/auth/rate-limit, keyed by client
 * address and user name); failures never say which part was wrong.
 */
export async function login(userName: string, password: string, clientAddr: string): Promise<LoginResult> {
  const result = await throttledAttempt({ addr: clientAddr, user: userName, via: "login" }, async () => {
    const user = userName ? await findUserByName(userName) : null;
    return user && passwordMatches(user, password) ? user : null;
  });
  if (!result.ok && result.retryAfter > 0) throw new AppError("RATE_LIMITED", throttledMessage(result.retryAfter), { retryAfter: result.retryAfter });
  if (!result.ok) throw new AppError("UNAUTHENTICATED", "Invalid username or password");
  const updated = await recordLogin(result.value.id);
  return { user: toPublicUser(updated), token: await tokenFor(updated) };
}
