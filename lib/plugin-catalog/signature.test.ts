import { describe, expect, it } from "vitest";
import { generateSigningKey, KeyFormatError, parsePrivateKey, parsePublicKey, parseTrustedKeys, signatureStatus, signingMessage, signVersion } from "./signature";

const sha = "b".repeat(64);
const v = { version: "1.2.0", sha256: sha };

describe("signatures", () => {
  const author = generateSigningKey();
  const key = parsePrivateKey(author.privateKeyPem);
  const signed = { ...v, signature: signVersion("lyrics-x", v, key) };
  const catalogKeys = [{ keyId: author.keyId, key: author.publicKey }];
  const trusted = parseTrustedKeys([author.publicKey]);

  it("signs the id, version and hash, and reads keys as base64 raw or PEM with the same key id", () => {
    expect(signingMessage("lyrics-x", "1.2.0", sha.toUpperCase())).toBe(`lyrics-x@1.2.0:${sha}`);
    expect(parsePublicKey(author.publicKeyPem)).toMatchObject({ keyId: author.keyId, raw: author.publicKey });
    expect(signed.signature.keyId).toBe(author.keyId);
    expect(() => parsePublicKey("c2hvcnQ=")).toThrow(KeyFormatError);
    const bad: string[] = [];
    expect(parseTrustedKeys(["nonsense", author.publicKey], (t) => bad.push(t))).toHaveLength(1);
    expect(bad).toEqual(["nonsense"]);
  });

  it("is trusted with a configured key (with or without the catalog listing it)", () => {
    expect(signatureStatus("lyrics-x", signed, catalogKeys, trusted)).toBe("trusted");
    expect(signatureStatus("lyrics-x", signed, undefined, parseTrustedKeys([author.publicKeyPem]))).toBe("trusted");
  });

  it("is unsigned without a signature, whatever is trusted", () => {
    expect(signatureStatus("lyrics-x", v, catalogKeys, trusted)).toBe("unsigned");
  });

  it("is a bad signature when the package hash, version or id differ from what was signed", () => {
    expect(signatureStatus("lyrics-x", { ...signed, sha256: "c".repeat(64) }, catalogKeys, trusted)).toBe("bad-signature");
    expect(signatureStatus("lyrics-x", { ...signed, version: "1.2.1" }, catalogKeys, trusted)).toBe("bad-signature");
    expect(signatureStatus("other", signed, catalogKeys, trusted)).toBe("bad-signature");
    // Forged by a key the catalog claims under the trusted key's id: still the trusted key decides.
    const forger = parsePrivateKey(generateSigningKey().privateKeyPem);
    const forged = { ...v, signature: { keyId: author.keyId, value: signVersion("lyrics-x", v, forger).value } };
    expect(signatureStatus("lyrics-x", forged, [{ keyId: author.keyId, key: forger.publicKey.raw }], trusted)).toBe("bad-signature");
    expect(signatureStatus("lyrics-x", { ...v, signature: { keyId: author.keyId, value: "not base64!" } }, catalogKeys, trusted)).toBe("bad-signature");
  });

  it("is an untrusted key when it verifies only with a key nobody configured", () => {
    expect(signatureStatus("lyrics-x", signed, catalogKeys, [])).toBe("untrusted-key");
    expect(signatureStatus("lyrics-x", signed, undefined, [])).toBe("untrusted-key");
    const other = parseTrustedKeys([generateSigningKey().publicKey]);
    expect(signatureStatus("lyrics-x", signed, catalogKeys, other)).toBe("untrusted-key");
    // ...but a catalog key that does not verify it is a bad signature, trusted or not.
    expect(signatureStatus("lyrics-x", { ...signed, sha256: "d".repeat(64) }, catalogKeys, [])).toBe("bad-signature");
  });
});
