import { createHmac } from "node:crypto";
import { copyFileSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as logout } from "@/app/auth/logout/route";
import { AUTH_HEADER, authenticateRequest, login, SESSION_MAX_AGE_MS, tokenFor } from "../auth/session";
import { loadSigningSecrets, verifyToken } from "../auth/token";
import { db } from "../db/client";
import { bootTestServer } from "../testing/boot-test-server";
import { findUserByName } from "../users/users";

// Findings 9 and 10 of "Trust the sandbox": the database file alone (world-readable, JWT
// secret in clear) forged an admin session; tokens outlived logout and were renewed forever.

let dataFolder = "";
beforeAll(async () => {
  ({ dataFolder } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" }));
});

const b64url = (v: string | Buffer) => Buffer.from(v).toString("base64url");
/** Signs claims the way a forger holding `secret` would. */
function forge(claims: Record<string, unknown>, secret: Buffer): string {
  const body = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify(claims))}`;
  return `${body}.${b64url(createHmac("sha256", secret).update(body).digest())}`;
}
const withHeader = (token: string) => new Request("http://x/api/user", { headers: { [AUTH_HEADER]: `Bearer ${token}` } });

describe("a copy of the database", () => {
  it("cannot sign an admin token: every secret-like value in it fails", async () => {
    const { token } = await login("admin", "admin-pass", "10.1.0.1");
    const real = (await verifyToken(token))!;
    const copy = path.join(dataFolder, "stolen.db");
    await db().$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    copyFileSync(path.join(dataFolder, "tessitura.db"), copy);
    const stolen = new Database(copy, { readonly: true });
    const values = (stolen.prepare("SELECT value FROM Property").all() as { value: string }[]).map((r) => r.value).filter((v) => v.length >= 16);
    stolen.close();
    expect(values.length).toBeGreaterThan(0);
    const now = Math.floor(Date.now() / 1000);
    const claims = { ...real, iat: now, exp: now + 3600 };
    for (const v of values) {
      for (const secret of [Buffer.from(v, "base64"), Buffer.from(v)]) expect(await authenticateRequest(withHeader(forge(claims, secret)))).toBeNull();
    }
    expect(await authenticateRequest(withHeader(token))).not.toBeNull();
  });

  it("an install whose secret was stored in clear keeps its sessions, and the clear copy is gone", async () => {
    const legacy = Buffer.from("legacy-secret-0123456789abcdefXYZ").toString("base64");
    for (const [id, value] of [["JWTSecret", legacy], ["JWTSecretPrevious", ""], ["JWTSecretRotatedAt", String(Date.now())]])
      await db().property.upsert({ where: { id }, create: { id, value }, update: { value } });
    const admin = (await findUserByName("admin"))!;
    const now = Math.floor(Date.now() / 1000);
    const oldToken = forge({ sub: admin.id, usr: admin.userName, adm: true, gen: admin.tokenGeneration, iat: now, exp: now + 3600 }, Buffer.from(legacy, "base64"));
    await loadSigningSecrets();
    expect((await authenticateRequest(withHeader(oldToken)))?.user.id).toBe(admin.id);
    const rows = await db().property.findMany();
    expect(JSON.stringify(rows)).not.toContain(legacy);
    expect(readFileSync(path.join(dataFolder, "tessitura.db")).includes(Buffer.from(legacy))).toBe(false);
  });
});

describe("session lifetime", () => {
  it("logout revokes the token it was called with, however fresh", async () => {
    const { token } = await login("admin", "admin-pass", "10.1.0.2");
    expect(await authenticateRequest(withHeader(token))).not.toBeNull();
    const res = await logout(new Request("http://x/auth/logout", { method: "POST", headers: { [AUTH_HEADER]: `Bearer ${token}` } }), { params: Promise.resolve({}) });
    expect(res.status).toBe(204);
    expect(await authenticateRequest(withHeader(token))).toBeNull();
    const cookie = new Request("http://x/api/user", { headers: { cookie: `tessitura_session=${token}` } });
    expect(await authenticateRequest(cookie)).toBeNull();
  });

  it("sliding refresh never extends a session past 30 days from sign-in", async () => {
    const day = 24 * 3600_000;
    const t0 = Date.now() - 40 * day;
    const admin = (await findUserByName("admin"))!;
    let token = await tokenFor(admin, undefined, t0);
    // An active client refreshes its token every day, as every API answer does.
    for (let t = t0 + day; t < t0 + SESSION_MAX_AGE_MS; t += day) {
      const s = await authenticateRequest(withHeader(token), t);
      expect(s, `day ${(t - t0) / day}`).not.toBeNull();
      token = await tokenFor(s!.user, s!, t);
    }
    expect((await verifyToken(token, t0 + SESSION_MAX_AGE_MS - 2000))!.exp * 1000).toBeLessThanOrEqual(t0 + SESSION_MAX_AGE_MS);
    expect(await authenticateRequest(withHeader(token), t0 + SESSION_MAX_AGE_MS + 1000)).toBeNull();
  });
});
