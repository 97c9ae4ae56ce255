import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import type { CatalogVersion, SignatureStatus } from "./types";

/**
 * Catalog signatures: ed25519 over the UTF-8 string `"<pluginId>@<version>:<sha256 hex>"`,
 * carried as base64 in `versions[].signature.value` with the signer's `keyId`. A key id is
 * derived from the key (first 16 hex digits of the SHA-256 of its raw 32 bytes), so an
 * admin's trusted key and a catalog's signature find each other without a registry.
 * Only keys the admin configured (`Plugins.TrustedKeys`) make a signature "trusted"; the
 * catalog's own `publicKeys` only tell a valid signature by an unknown key
 * ("untrusted-key") from a forged one ("bad-signature").
 */

/** A public key ready to verify with. */
export interface PublicKeyEntry {
  keyId: string;
  /** The raw 32-byte key, base64. */
  raw: string;
  key: KeyObject;
}

/** A public key given in text that is neither base64 of 32 bytes nor an ed25519 PEM. */
export class KeyFormatError extends Error {
  name = "KeyFormatError";
}

// The DER prefix of an ed25519 SubjectPublicKeyInfo; the raw key follows it.
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** The signed text of one catalog version. */
export function signingMessage(pluginId: string, version: string, sha256: string): string {
  return `${pluginId}@${version}:${sha256.toLowerCase()}`;
}

/** The key id of a raw 32-byte public key. */
export function keyIdOf(raw: Buffer): string {
  return createHash("sha256").update(raw).digest("hex").slice(0, 16);
}

/** Reads a public key: base64 of the raw 32 bytes, or a PEM (SPKI) ed25519 public key. */
export function parsePublicKey(text: string): PublicKeyEntry {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    if (trimmed.startsWith("-----BEGIN")) key = createPublicKey(trimmed);
    else {
      const raw = Buffer.from(trimmed, "base64");
      if (raw.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) throw new Error("not 32 bytes of base64");
      key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: "der", type: "spki" });
    }
  } catch (err) {
    throw new KeyFormatError(`not an ed25519 public key (base64 of 32 bytes, or PEM): ${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== "ed25519") throw new KeyFormatError(`not an ed25519 public key (it is ${key.asymmetricKeyType})`);
  const raw = (key.export({ format: "der", type: "spki" }) as Buffer).subarray(SPKI_PREFIX.length);
  return { keyId: keyIdOf(raw), raw: raw.toString("base64"), key };
}

/** Parses every configured key; a bad one is reported through `onError` and skipped. */
export function parseTrustedKeys(texts: readonly string[], onError?: (text: string, err: Error) => void): PublicKeyEntry[] {
  const out: PublicKeyEntry[] = [];
  for (const t of texts) {
    try {
      out.push(parsePublicKey(t));
    } catch (err) {
      onError?.(t, err as Error);
    }
  }
  return out;
}

/** A new ed25519 key pair: the private key as PKCS#8 PEM, the public one as base64 raw and PEM. */
export function generateSigningKey(): { privateKeyPem: string; publicKey: string; publicKeyPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const entry = parsePublicKey(publicKey.export({ format: "pem", type: "spki" }) as string);
  return {
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }) as string,
    publicKey: entry.raw,
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }) as string,
    keyId: entry.keyId,
  };
}

/** Reads a private key file's text (PKCS#8 PEM as `ndp keygen` writes it). */
export function parsePrivateKey(pem: string): { key: KeyObject; publicKey: PublicKeyEntry } {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== "ed25519") throw new KeyFormatError(`not an ed25519 private key (it is ${key.asymmetricKeyType})`);
  return { key, publicKey: parsePublicKey(createPublicKey(key).export({ format: "pem", type: "spki" }) as string) };
}

/** The signature of one catalog version, as the catalog carries it. */
export function signVersion(pluginId: string, v: Pick<CatalogVersion, "version" | "sha256">, privateKey: { key: KeyObject; publicKey: PublicKeyEntry }): { keyId: string; value: string } {
  const value = sign(null, Buffer.from(signingMessage(pluginId, v.version, v.sha256), "utf8"), privateKey.key).toString("base64");
  return { keyId: privateKey.publicKey.keyId, value };
}

function verifies(message: Buffer, value: string, key: KeyObject): boolean {
  const sig = Buffer.from(value, "base64");
  if (sig.length !== 64) return false;
  try {
    return verify(null, message, key, sig);
  } catch {
    return false;
  }
}

/**
 * The signature status of one catalog version: "unsigned" without a signature; with one,
 * "trusted" when a trusted key (by key id, or a catalog key equal to a trusted one)
 * verifies it; "bad-signature" when the key it names (trusted or from the catalog) does
 * not verify it; "untrusted-key" when it verifies only with a catalog key nobody trusts,
 * or names a key that is not known at all.
 */
export function signatureStatus(
  pluginId: string,
  version: Pick<CatalogVersion, "version" | "sha256" | "signature">,
  catalogKeys: readonly { keyId: string; key: string }[] | undefined,
  trusted: readonly PublicKeyEntry[],
): SignatureStatus {
  const sig = version.signature;
  if (!sig) return "unsigned";
  const message = Buffer.from(signingMessage(pluginId, version.version, version.sha256), "utf8");
  let declared: PublicKeyEntry | null = null;
  const text = catalogKeys?.find((k) => k.keyId === sig.keyId)?.key;
  if (text !== undefined) {
    try {
      declared = parsePublicKey(text);
    } catch {
      declared = null;
    }
  }
  const trustedKey = trusted.find((k) => k.keyId === sig.keyId) ?? (declared ? trusted.find((k) => k.raw === declared!.raw) : undefined);
  if (trustedKey) return verifies(message, sig.value, trustedKey.key) ? "trusted" : "bad-signature";
  if (declared) return verifies(message, sig.value, declared.key) ? "untrusted-key" : "bad-signature";
  return "untrusted-key";
}
