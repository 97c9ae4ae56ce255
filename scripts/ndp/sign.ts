import { createHash } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CatalogFormatError, parseCatalog } from "@/lib/plugin-catalog/format";
import { generateSigningKey, parsePrivateKey, signVersion, type PublicKeyEntry } from "@/lib/plugin-catalog/signature";
import type { Catalog } from "@/lib/plugin-catalog/types";
import type { KeyObject } from "node:crypto";

/**
 * `ndp keygen` and `ndp sign`: ed25519 signatures for catalogs (docs/plugin-catalog.md).
 * Each version's signature covers `"<id>@<version>:<sha256>"`, so it vouches for exactly
 * that package file; admins trust the public key with `Plugins.TrustedKeys`.
 */

/** A key or catalog that cannot be used for signing. */
export class SignError extends Error {
  name = "SignError";
}

type PrivateKey = { key: KeyObject; publicKey: PublicKeyEntry };

export function readPrivateKeyFile(file: string): PrivateKey {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new SignError(`cannot read the key file ${file}: ${(err as Error).message}`);
  }
  try {
    return parsePrivateKey(text);
  } catch (err) {
    throw new SignError(`${file} is not an ed25519 private key (PEM, as ndp keygen writes): ${(err as Error).message}`);
  }
}

/** Signs every version and lists the public key in `publicKeys`; answers a new catalog. */
export function signCatalog(catalog: Catalog, key: PrivateKey): { catalog: Catalog; signed: number } {
  let signed = 0;
  const plugins = catalog.plugins.map((p) => ({
    ...p,
    versions: p.versions.map((v) => {
      signed++;
      return { ...v, signature: signVersion(p.id, v, key) };
    }),
  }));
  const publicKeys = [...(catalog.publicKeys ?? []).filter((k) => k.keyId !== key.publicKey.keyId), { keyId: key.publicKey.keyId, key: key.publicKey.raw }];
  return { catalog: { ...catalog, plugins, publicKeys }, signed };
}

export interface SignResult {
  file: string;
  keyId: string;
  publicKey: string;
  signed: number;
  /** Package files found next to the catalog whose sha256 was checked before signing. */
  checked: number;
}

/**
 * `ndp sign --key <file> catalog.json`: signs in place (or to `out`). Packages that sit
 * where a relative URL points (next to the catalog) are hashed first: signing a hash that
 * does not match the file would publish a package every server refuses.
 */
export function signCatalogFile(file: string, keyFile: string, out?: string): SignResult {
  let catalog: Catalog;
  try {
    catalog = parseCatalog(JSON.parse(readFileSync(file, "utf8")));
  } catch (err) {
    throw new SignError(`${file}: ${err instanceof CatalogFormatError ? err.message : (err as Error).message}`);
  }
  const key = readPrivateKeyFile(keyFile);
  let checked = 0;
  for (const p of catalog.plugins)
    for (const v of p.versions) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(v.url)) continue;
      const local = path.resolve(path.dirname(file), decodeURIComponent(v.url.split(/[?#]/)[0]));
      if (!existsSync(local)) continue;
      const sha = createHash("sha256").update(readFileSync(local)).digest("hex");
      if (sha !== v.sha256) throw new SignError(`${p.id} ${v.version}: ${v.url} has sha256 ${sha}, the catalog says ${v.sha256}; rebuild it with ndp catalog`);
      checked++;
    }
  const r = signCatalog(catalog, key);
  const target = out ?? file;
  writeFileSync(target, `${JSON.stringify(r.catalog, null, 2)}\n`);
  return { file: target, keyId: key.publicKey.keyId, publicKey: key.publicKey.raw, signed: r.signed, checked };
}

export interface KeygenResult {
  privateKeyFile: string;
  publicKeyFile: string;
  keyId: string;
  publicKey: string;
}

/** `ndp keygen [--out file]`: a new key pair; the private key file is readable by its owner only. */
export function keygen(out: string, force: boolean): KeygenResult {
  const pub = `${out}.pub`;
  for (const f of [out, pub]) if (existsSync(f) && !force) throw new SignError(`${f} exists; pass --force to replace it (servers trusting the old key will then call your signatures untrusted)`);
  const k = generateSigningKey();
  writeFileSync(out, k.privateKeyPem, { mode: 0o600 });
  chmodSync(out, 0o600); // an overwritten file keeps its old mode otherwise
  writeFileSync(pub, `${k.publicKey}\n`);
  return { privateKeyFile: out, publicKeyFile: pub, keyId: k.keyId, publicKey: k.publicKey };
}
