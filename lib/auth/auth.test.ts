import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { makeDataFolderPrivate } from "../server/private-files";
import { AppError } from "../errors";
import { bootTestServer } from "../testing/boot-test-server";
import { createUser, findUserByName, updateUser } from "../users/users";
import { decryptSecret, encryptSecret } from "./secrets";
import { authenticateRequest, login, SESSION_COOKIE } from "./session";
import { issueToken, loadSigningSecrets, verifyToken } from "./token";
import { dispatchSubsonic } from "../subsonic/dispatch";
import { hashApiKey } from "../subsonic/auth";

let dataFolder = "";
beforeAll(async () => {
  ({ dataFolder } = await bootTestServer());
});

describe("password encryption at rest", () => {
  it("stores no plaintext and round-trips; the key file is private", async () => {
    await createUser({ userName: "bob", password: "bob-secret-pw" });
    const row = (await findUserByName("bob"))!;
    expect(row.password).not.toContain("bob-secret-pw");
    expect(row.password.startsWith("v1:")).toBe(true);
    expect(decryptSecret(row.password)).toBe("bob-secret-pw");
    expect(statSync(path.join(dataFolder, "encryption.key")).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dataFolder, "tessitura.db")).includes(Buffer.from("bob-secret-pw"))).toBe(false);
  });

  it("detects tampering", () => {
    const parts = encryptSecret("x").split(":");
    parts[3] = Buffer.from("y").toString("base64");
    expect(() => decryptSecret(parts.join(":"))).toThrow();
  });
});

describe("session tokens", () => {
  it("verifies its own tokens and refuses forged or expired ones", async () => {
    const claims = { sub: "u1", usr: "x", adm: false, gen: 0 };
    const t = await issueToken(claims, 60_000);
    expect(await verifyToken(t)).toMatchObject(claims);
    const [h, p] = t.split(".");
    expect(await verifyToken(`${h}.${p}.${"A".repeat(43)}`)).toBeNull();
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, adm: true, exp: 9e9 })).toString("base64url");
    expect(await verifyToken(`${h}.${forgedPayload}.${t.split(".")[2]}`)).toBeNull();
    expect(await verifyToken(await issueToken(claims, -5_000))).toBeNull();
  });

  it("keeps tokens valid across one secret rotation, not two", async () => {
    const t = await issueToken({ sub: "u1", usr: "x", adm: false, gen: 0 }, 60_000);
    const week = 8 * 24 * 3600 * 1000;
    await loadSigningSecrets(Date.now() + week);
    expect(await verifyToken(t)).not.toBeNull();
    await db().property.update({ where: { id: "JWTSecretRotatedAt" }, data: { value: "0" } });
    await loadSigningSecrets(Date.now() + 2 * week);
    expect(await verifyToken(t)).toBeNull();
  });

  it("a password change revokes earlier sessions", async () => {
    const { token, user } = await login("bob", "bob-secret-pw", "10.0.0.1");
    const req = (tok: string) => new Request("http://x/api/user", { headers: { cookie: `${SESSION_COOKIE}=${tok}` } });
    expect((await authenticateRequest(req(token)))?.user.id).toBe(user.id);
    await updateUser(user.id, { password: "new-pw" }, { id: "someone-else" });
    expect(await authenticateRequest(req(token))).toBeNull();
  });
});

describe("login", () => {
  it("gives the same message for an unknown user and a wrong password", async () => {
    const a = await login("nobody", "x", "10.0.0.2").catch((e) => e);
    const b = await login("admin", "wrong", "10.0.0.2").catch((e) => e);
    expect(a).toBeInstanceOf(AppError);
    expect(a.message).toBe(b.message);
    expect(a.code).toBe("UNAUTHENTICATED");
  });

  it("rate-limits one address guessing one user's password", async () => {
    for (let i = 0; i < 10; i++) await login("admin", "wrong", "10.9.9.9").catch(() => null);
    const err = await login("admin", "admin-pass", "10.9.9.9").catch((e) => e);
    expect(err.code).toBe("RATE_LIMITED");
    expect(err.retryAfter).toBeGreaterThan(0);
  });
});

describe("data file modes", () => {
  it("creates the DataFolder 0700 and the database, its WAL and shared-memory files and the key file 0600", async () => {
    await db().user.count(); // the WAL and -shm files exist once the client has opened the database
    expect(statSync(dataFolder).mode & 0o777).toBe(0o700);
    for (const f of ["tessitura.db", "tessitura.db-wal", "tessitura.db-shm", "encryption.key"]) expect([f, statSync(path.join(dataFolder, f)).mode & 0o777]).toEqual([f, 0o600]);
  });

  it("tightens a DataFolder and key file an earlier version left open", () => {
    const old = path.join(dataFolder, "old-install");
    mkdirSync(old, { mode: 0o755 });
    writeFileSync(path.join(old, "encryption.key"), "x", { mode: 0o644 });
    chmodSync(old, 0o755);
    makeDataFolderPrivate(old);
    expect(statSync(old).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(old, "encryption.key")).mode & 0o777).toBe(0o600);
  });

  it("tightens a database an earlier version left readable by everyone", () => {
    const file = path.join(dataFolder, "old", "tessitura.db");
    migrateDatabase(file);
    chmodSync(file, 0o644);
    migrateDatabase(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe("Subsonic authentication", () => {
  const ping = async (q: string) => {
    const res = await dispatchSubsonic("ping", new URLSearchParams(`v=1.16.1&c=test&f=json&${q}`));
    return (await res.json())["subsonic-response"];
  };

  it.each([
    ["plain password", () => "u=admin&p=admin-pass", "ok"],
    ["hex-encoded password", () => `u=admin&p=enc:${Buffer.from("admin-pass").toString("hex")}`, "ok"],
    ["token and salt", () => `u=admin&t=${createHash("md5").update("admin-pass" + "abc").digest("hex")}&s=abc`, "ok"],
    ["user name in another case", () => "u=ADMIN&p=admin-pass", "ok"],
    ["token in upper-case hex", () => `u=admin&t=${createHash("md5").update("admin-pass" + "abc").digest("hex").toUpperCase()}&s=abc`, "ok"],
  ])("accepts %s", async (_name, q, status) => {
    expect((await ping(q())).status).toBe(status);
  });

  it.each([
    ["wrong password", "u=admin&p=nope", 40],
    ["wrong token", "u=admin&t=00&s=abc", 40],
    ...(() => {
      const t = createHash("md5").update("admin-pass" + "abc").digest("hex");
      const flip = (i: number) => t.slice(0, i) + (t[i] === "0" ? "1" : "0") + t.slice(i + 1);
      return [
        ["token off in its first character", `u=admin&t=${flip(0)}&s=abc`, 40],
        ["token off in its last character", `u=admin&t=${flip(31)}&s=abc`, 40],
        ["token one character short", `u=admin&t=${t.slice(0, 31)}&s=abc`, 40],
        ["token with one character more", `u=admin&t=${t}0&s=abc`, 40],
        ["token that is not hex", `u=admin&t=${t.slice(0, 31)}g&s=abc`, 40],
        ["right token for another salt", `u=admin&t=${t}&s=abd`, 40],
      ] as [string, string, number][];
    })(),
    ["unknown user", "u=ghost&p=x", 40],
    ["no user", "p=x", 10],
    ["no credentials", "u=admin", 10],
    ["apiKey together with u", "u=admin&apiKey=k", 43],
    ["unknown apiKey", "apiKey=nope", 44],
  ])("refuses %s with code %d", async (_name, q, code) => {
    const r = await ping(q);
    expect(r.status).toBe("failed");
    expect(r.error.code).toBe(code);
  });

  it("accepts an OpenSubsonic API key", async () => {
    const admin = (await findUserByName("admin"))!;
    await db().apiKey.create({ data: { id: "k1", userId: admin.id, name: "test", keyHash: hashApiKey("my-key") } });
    expect((await ping("apiKey=my-key")).status).toBe("ok");
  });

  it("answers XML by default and JSONP with a safe callback only", async () => {
    const xml = await (await dispatchSubsonic("ping", new URLSearchParams("u=admin&p=admin-pass"))).text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<subsonic-response xmlns="http:\/\/subsonic.org\/restapi" status="ok" version="1.16.1" type="tessitura" serverVersion="[^"]+" openSubsonic="true"\/>$/);
    const jsonp = await (await dispatchSubsonic("ping", new URLSearchParams("u=admin&p=admin-pass&f=jsonp&callback=cb"))).text();
    expect(jsonp).toMatch(/^cb\(\{"subsonic-response":/);
    const evil = await dispatchSubsonic("ping", new URLSearchParams("u=admin&p=admin-pass&f=jsonp&callback=alert(1)//"));
    expect(evil.headers.get("content-type")).toContain("application/json");
  });

  it("reports unknown methods as Subsonic errors", async () => {
    const r = await (await dispatchSubsonic("noSuchMethod", new URLSearchParams("u=admin&p=admin-pass&f=json"))).json();
    expect(r["subsonic-response"]).toMatchObject({ status: "failed", error: { code: 0 } });
  });
});
