import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { db } from "../db/client";
import type { User as UserRow } from "../db/generated/prisma/client";
import { findUserByName, userPassword } from "../users/users";
import { SubsonicError } from "./errors";
import type { Params } from "./params";

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function decodePassword(p: string): string {
  if (!p.startsWith("enc:")) return p;
  const hex = p.slice(4);
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new SubsonicError(40);
  return Buffer.from(hex, "hex").toString("utf8");
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/**
 * Authenticates a Subsonic request: `u` + `p` (plain or `enc:`), `u` + `t` + `s`
 * (md5(password + salt)), or OpenSubsonic `apiKey` (which must come alone).
 */
export async function authenticateSubsonic(params: Params): Promise<UserRow> {
  const apiKey = params.string("apiKey");
  const u = params.string("u");
  if (apiKey !== undefined) {
    if (u !== undefined || params.string("p") !== undefined || params.string("t") !== undefined) throw new SubsonicError(43);
    const row = await db().apiKey.findUnique({ where: { keyHash: hashApiKey(apiKey) }, include: { user: true } });
    if (!row) throw new SubsonicError(44);
    await db().apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
    return row.user;
  }
  if (!u) throw new SubsonicError(10, "Required parameter 'u' is missing.");
  const p = params.string("p");
  const t = params.string("t");
  const s = params.string("s");
  if (p === undefined && (t === undefined || s === undefined)) throw new SubsonicError(10, "Required authentication parameters are missing.");
  const user = await findUserByName(u);
  if (!user) throw new SubsonicError(40);
  const password = userPassword(user);
  const ok =
    p !== undefined
      ? safeEqual(decodePassword(p), password)
      : safeEqual(createHash("md5").update(password + s).digest("hex"), t!.toLowerCase());
  if (!ok) throw new SubsonicError(40);
  return user;
}
