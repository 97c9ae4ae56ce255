import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { readProperties, writeProperties } from "../db/properties";
import { remember } from "../server/remember";
import { decryptSecret, encryptSecret } from "./secrets";

/**
 * Session tokens: compact HS256 JWTs, the format Navidrome's clients expect in
 * `x-nd-authorization: Bearer <token>`. The signing secret rotates weekly; the previous
 * one stays valid for verification so sessions survive a rotation.
 *
 * The secrets are kept in the database (`Property` rows) encrypted with the key in
 * `<DataFolder>/encryption.key` (lib/auth/secrets), so a copy of the database alone
 * cannot sign a token. Databases from before this stored them in clear: on first load
 * such a secret is rotated out at once (kept only as the "previous" secret, so nobody is
 * signed out) and the clear copy is overwritten.
 */

export interface TokenClaims {
  /** user id */
  sub: string;
  /** user name */
  usr: string;
  adm: boolean;
  /** user's tokenGeneration when issued; bumping it revokes every older token */
  gen: number;
  /** session id (lib/auth/session); absent only in tokens issued before sessions existed */
  sid?: string;
  iat: number;
  exp: number;
}

const ROTATE_AFTER_MS = 7 * 24 * 3600 * 1000;
const KEYS = ["JWTSecret", "JWTSecretPrevious", "JWTSecretRotatedAt"];
const secrets = remember("jwtSecrets", () => ({ current: null as Buffer | null, previous: null as Buffer | null, rotatedAt: 0 }));

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");
const isSealed = (v: string) => v.startsWith("v1:");
const unseal = (v: string) => (isSealed(v) ? decryptSecret(v) : v);

/** Loads the signing secrets, creating, rotating or sealing them as needed. Called at boot and lazily. */
export async function loadSigningSecrets(now = Date.now()): Promise<void> {
  const rows = await readProperties(KEYS);
  const get = (id: string) => rows.get(id) || undefined;
  const stored = get("JWTSecret");
  const legacy = [get("JWTSecret"), get("JWTSecretPrevious")].some((v) => v !== undefined && !isSealed(v));
  let current = stored && unseal(stored);
  let previous = get("JWTSecretPrevious") ? unseal(get("JWTSecretPrevious")!) : "";
  let rotatedAt = Number(get("JWTSecretRotatedAt") ?? 0);
  if (!current || legacy || now - rotatedAt > ROTATE_AFTER_MS) {
    previous = current ?? "";
    current = randomBytes(32).toString("base64");
    rotatedAt = now;
    await saveSecrets(current, previous, rotatedAt, legacy);
  }
  secrets.current = Buffer.from(current, "base64");
  secrets.previous = previous ? Buffer.from(previous, "base64") : null;
  secrets.rotatedAt = rotatedAt;
}

async function saveSecrets(current: string, previous: string, rotatedAt: number, scrubLegacy: boolean): Promise<void> {
  // Replacing a clear secret: scrubbed, so the old value does not linger in free pages or the log.
  await writeProperties(
    [
      ["JWTSecret", encryptSecret(current)],
      ["JWTSecretPrevious", previous ? encryptSecret(previous) : ""],
      ["JWTSecretRotatedAt", String(rotatedAt)],
    ],
    { scrub: scrubLegacy },
  );
}

async function currentSecret(now = Date.now()): Promise<Buffer> {
  if (!secrets.current || now - secrets.rotatedAt > ROTATE_AFTER_MS) await loadSigningSecrets(now);
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
export async function verifyJwt(token: string, now = Date.now()): Promise<Record<string, unknown> | null> {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const body = `${parts[0]}.${parts[1]}`;
  await currentSecret(now);
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
    if (exp !== undefined && (typeof exp !== "number" || exp * 1000 < now)) return null;
    return claims as Record<string, unknown>;
  } catch {
    return null;
  }
}

export async function issueToken(claims: Omit<TokenClaims, "iat" | "exp">, ttlMs: number, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return signJwt({ ...claims, iat, exp: iat + Math.floor(ttlMs / 1000) });
}

/** Returns the claims of a well-signed, unexpired session token, or null. */
export async function verifyToken(token: string, now = Date.now()): Promise<TokenClaims | null> {
  const claims = (await verifyJwt(token, now)) as Partial<TokenClaims> | null;
  if (!claims || typeof claims.sub !== "string" || typeof claims.exp !== "number") return null;
  return claims as TokenClaims;
}
