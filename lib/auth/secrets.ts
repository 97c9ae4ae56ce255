import "server-only";
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { remember } from "../server/remember";

/**
 * Password encryption at rest. Subsonic token auth needs md5(password + salt), so
 * passwords must be recoverable (Navidrome encrypts them for the same reason). The
 * AES-256-GCM key lives in `<DataFolder>/encryption.key` (mode 0600), apart from the
 * database, so a leaked database file alone does not reveal passwords, nor (lib/auth/token
 * seals the session signing secrets with it) let anyone sign a session token.
 */

const state = remember("encryptionKey", () => ({ key: null as Buffer | null }));

export function loadEncryptionKey(dataFolder: string): void {
  const file = path.join(dataFolder, "encryption.key");
  mkdirSync(dataFolder, { recursive: true, mode: 0o700 });
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
  const key = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`encryption key ${file} is damaged (expected 32 bytes of base64)`);
  chmodSync(file, 0o600);
  state.key = key;
}

/**
 * A key for another purpose, derived from the encryption key (HMAC-SHA256 over `label`),
 * so it is as stable as that key; null while the key is not loaded.
 */
export function derivedKey(label: string): Buffer | null {
  return state.key ? createHmac("sha256", state.key).update(label).digest() : null;
}

function key(): Buffer {
  if (!state.key) throw new Error("encryption key not loaded: the server has not booted");
  return state.key;
}

/** `v1:<iv>:<tag>:<ciphertext>`, all base64. */
export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `v1:${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${ct.toString("base64")}`;
}

export function decryptSecret(stored: string): string {
  const [v, iv, tag, ct] = stored.split(":");
  if (v !== "v1" || !iv || !tag || ct === undefined) throw new Error("stored secret has an unknown format");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64")), decipher.final()]).toString("utf8");
}
