import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { db } from "../db/client";
import { remember } from "../server/remember";

/**
 * Session tokens: compact HS256 JWTs, the format Navidrome's clients expect in
 * `x-nd-authorization: Bearer <token>`. The signing secret lives in the database
 * (`Property` rows) and rotates weekly; the previous secret stays valid for
 * verification so sessions survive a rotation.
 */

export interface TokenClaims {
  /** user id */
  sub: string;
  /** user name */
  usr: string;
  adm: boolean;
  /** user's tokenGeneration when issued; bumping it revokes every older token */
  gen: number;
  iat: number;
  exp: number;
}

const ROTATE_AFTER_MS = 7 * 24 * 3600 * 1000;
const secrets = remember("jwtSecrets", () => ({ current: null as Buffer | null, previous: null as Buffer | null, rotatedAt: 0 }));

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

/** Loads the signing secrets, creating or rotating them as needed. Called at boot and lazily. */
export async function loadSigningSecrets(now = Date.now()): Promise<void> {
  const rows = await db().property.findMany({ where: { id: { in: ["JWTSecret", "JWTSecretPrevious", "JWTSecretRotatedAt"] } } });
  const get = (id: string) => rows.find((r) => r.id === id)?.value;
  let current = get("JWTSecret");
  let previous = get("JWTSecretPrevious") ?? "";
  let rotatedAt = Number(get("JWTSecretRotatedAt") ?? 0);
  if (!current || now - rotatedAt > ROTATE_AFTER_MS) {
    previous = current ?? "";
    current = randomBytes(32).toString("base64");
    rotatedAt = now;
    await db().$transaction(
      [
        ["JWTSecret", current],
        ["JWTSecretPrevious", previous],
        ["JWTSecretRotatedAt", String(rotatedAt)],
      ].map(([id, value]) => db().property.upsert({ where: { id }, create: { id, value }, update: { value } })),
    );
  }
  secrets.current = Buffer.from(current, "base64");
  secrets.previous = previous ? Buffer.from(previous, "base64") : null;
  secrets.rotatedAt = rotatedAt;
}

async function currentSecret(): Promise<Buffer> {
  if (!secrets.current || Date.now() - secrets.rotatedAt > ROTATE_AFTER_MS) await loadSigningSecrets();
  return secrets.current!;
}

function sign(payload: string, secret: Buffer): string {
  return b64url(createHmac("sha256", secret).update(payload).digest());
}

/** Signs `claims` as a compact HS256 JWT with the current secret. */
export async function signJwt(claims: Record<string, unknown>): Promise<string> {
  const body = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify(claims))}`;
  return `${body}.${sign(body, await currentSecret())}`;
}

/**
 * The claims of a JWT signed with the current or previous secret, or null. A token with
 * an `exp` claim is refused once it has passed.
 */
export async function verifyJwt(token: string): Promise<Record<string, unknown> | null> {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const body = `${parts[0]}.${parts[1]}`;
  await currentSecret();
  const given = Buffer.from(parts[2], "base64url");
  const ok = [secrets.current, secrets.previous].some((s) => {
    if (!s) return false;
    const expected = Buffer.from(sign(body, s), "base64url");
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!ok) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as unknown;
    if (typeof claims !== "object" || claims === null || Array.isArray(claims)) return null;
    const exp = (claims as { exp?: unknown }).exp;
    if (exp !== undefined && (typeof exp !== "number" || exp * 1000 < Date.now())) return null;
    return claims as Record<string, unknown>;
  } catch {
    return null;
  }
}

export async function issueToken(claims: Omit<TokenClaims, "iat" | "exp">, ttlMs: number): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return signJwt({ ...claims, iat, exp: iat + Math.floor(ttlMs / 1000) });
}

/** Returns the claims of a well-signed, unexpired session token, or null. */
export async function verifyToken(token: string): Promise<TokenClaims | null> {
  const claims = (await verifyJwt(token)) as Partial<TokenClaims> | null;
  if (!claims || typeof claims.sub !== "string" || typeof claims.exp !== "number") return null;
  return claims as TokenClaims;
}
