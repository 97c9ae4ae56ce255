import "server-only";
import { cookies } from "next/headers";
import { db } from "../db/client";
import type { User as UserRow } from "../db/generated/prisma/client";
import { AppError } from "../errors";
import { log } from "../log";
import { parseDuration } from "../config";
import { findUserByName, passwordMatches, toPublicUser, type PublicUser } from "../users/users";
import { loginLimiter } from "./rate-limit";
import { issueToken, verifyToken } from "./token";
import { settings } from "../server/settings";

/** Cookie carrying the browser session (same token as the `x-nd-authorization` header). */
export const SESSION_COOKIE = "tessitura_session";
export const AUTH_HEADER = "x-nd-authorization";

export interface Session {
  user: UserRow;
  /** How the request authenticated; cookie-authenticated writes get a CSRF check. */
  via: "header" | "cookie";
}

function sessionTtlMs(): number {
  return parseDuration(settings().SessionTimeout);
}

export async function tokenFor(user: UserRow): Promise<string> {
  return issueToken({ sub: user.id, usr: user.userName, adm: user.isAdmin, gen: user.tokenGeneration }, sessionTtlMs());
}

export function sessionCookie(token: string, secure: boolean): string {
  const maxAge = Math.floor(sessionTtlMs() / 1000);
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? "; Secure" : ""}`;
}

async function userForToken(token: string | undefined | null): Promise<UserRow | null> {
  if (!token) return null;
  const claims = await verifyToken(token);
  if (!claims) return null;
  const user = await db().user.findUnique({ where: { id: claims.sub } });
  if (!user || user.tokenGeneration !== claims.gen) return null;
  return user;
}

function cookieValue(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

/** Resolves the session of an API request: the Navidrome header first, then the cookie. */
export async function authenticateRequest(req: Request): Promise<Session | null> {
  const header = req.headers.get(AUTH_HEADER);
  if (header) {
    const user = await userForToken(header.replace(/^Bearer\s+/i, ""));
    return user ? { user, via: "header" } : null;
  }
  const user = await userForToken(cookieValue(req.headers.get("cookie"), SESSION_COOKIE));
  return user ? { user, via: "cookie" } : null;
}

/** The signed-in user of a server component render, or null. */
export async function currentUser(): Promise<UserRow | null> {
  const jar = await cookies();
  return userForToken(jar.get(SESSION_COOKIE)?.value);
}

export interface LoginResult {
  user: PublicUser;
  token: string;
}

/** Checks credentials with rate limiting; failures never say which part was wrong. */
export async function login(userName: string, password: string, clientIp: string): Promise<LoginResult> {
  const keys = [`ip:${clientIp}`, `user:${userName.toLowerCase()}`];
  const wait = loginLimiter.retryAfter(keys);
  if (wait > 0) throw new AppError("RATE_LIMITED", `too many failed login attempts; try again in ${wait} s`, { retryAfter: wait });
  const user = userName ? await findUserByName(userName) : null;
  if (!user || !passwordMatches(user, password)) {
    loginLimiter.recordFailure(keys);
    log.warn({ userName, ip: clientIp }, "failed login");
    throw new AppError("UNAUTHENTICATED", "Invalid username or password");
  }
  loginLimiter.reset([`user:${userName.toLowerCase()}`]);
  const updated = await db().user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  return { user: toPublicUser(updated), token: await tokenFor(updated) };
}
