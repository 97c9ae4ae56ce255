import AdmZip from "adm-zip";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ManifestError, PackageError } from "./errors";
import { MAX_ENTRIES, MAX_MANIFEST_BYTES, MAX_WASM_BYTES, openPackage, readManifestOnly, sha256File } from "./package";

const dir = mkdtempSync(path.join(tmpdir(), "ndp-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const manifest = (name: string) => Buffer.from(JSON.stringify({ name, author: "Me", version: "1.0.0" }));

/** A zip of the given entries, in order; `stored` skips compression. */
function zip(entries: [string, Buffer][], opts: { stored?: boolean } = {}): Buffer {
  const z = new AdmZip();
  for (const [name, data] of entries) {
    z.addFile(name, data);
    if (opts.stored) z.getEntry(name)!.header.method = 0;
  }
  return z.toBuffer();
}

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** Renames entries in place (names of equal length), e.g. to create duplicates adm-zip refuses to write. */
function rename(buf: Buffer, from: string, to: string): Buffer {
  expect(from.length).toBe(to.length);
  const out = Buffer.from(buf);
  for (let at = out.indexOf(from); at >= 0; at = out.indexOf(from, at + 1)) out.write(to, at, "latin1");
  return out;
}

/** Overwrites a 32-bit field of an entry's central-directory record (16 crc, 24 size). */
function patchCentral(buf: Buffer, name: string, offset: number, value: number): Buffer {
  const out = Buffer.from(buf);
  for (let p = out.length - 4; p >= 0; p--) {
    if (out.readUInt32LE(p) !== 0x02014b50) continue;
    if (out.toString("latin1", p + 46, p + 46 + out.readUInt16LE(p + 28)) === name) {
      out.writeUInt32LE(value, p + offset);
      return out;
    }
  }
  throw new Error(`no central record for ${name}`);
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (!err) throw new Error("expected a rejection");
  return err;
}

describe("openPackage", () => {
  it("loads the manifest and wasm of a package file or buffer", async () => {
    const bytes = zip([["manifest.json", manifest("P")], ["README.md", Buffer.from("hi")], ["plugin.wasm", WASM]]);
    for (const input of [write("ok.ndp", bytes), bytes]) {
      const pkg = await openPackage(input);
      expect(pkg.manifest.name).toBe("P");
      expect(Buffer.from(pkg.wasm)).toEqual(WASM);
      expect(Buffer.from(pkg.manifestBytes).toString()).toBe(manifest("P").toString());
    }
  });

  it("reads stored (uncompressed) entries", async () => {
    const pkg = await openPackage(zip([["manifest.json", manifest("S")], ["plugin.wasm", WASM]], { stored: true }));
    expect(pkg.manifest.name).toBe("S");
    expect(Buffer.from(pkg.wasm)).toEqual(WASM);
  });

  it("reports missing entries, the manifest first", async () => {
    const none = await rejection(openPackage(zip([["other.txt", Buffer.from("x")]])));
    expect(none).toBeInstanceOf(PackageError);
    expect(none.message).toBe("package missing manifest.json");
    expect((await rejection(openPackage(zip([["manifest.json", manifest("P")]])))).message).toBe("package missing plugin.wasm");
  });

  it("matches only exact names at the archive root", async () => {
    const nested = zip([["dist/manifest.json", manifest("P")], ["plugin.wasm", WASM]]);
    expect((await rejection(openPackage(nested))).message).toBe("package missing manifest.json");
    // adm-zip normalises names as it writes them, so the tricky ones are patched in afterwards.
    let tricks = zip([["manifest.json", manifest("P")], ["dist/plugin.wasm", WASM], ["Plugin.wasm", WASM], ["Aplugin.wasm", WASM], ["BBplugin.wasm", WASM], ["CCCplugin.wasm", WASM]]);
    tricks = rename(rename(rename(tricks, "Aplugin.wasm", "/plugin.wasm"), "BBplugin.wasm", "./plugin.wasm"), "CCCplugin.wasm", "../plugin.wasm");
    expect((await rejection(openPackage(tricks))).message).toBe("package missing plugin.wasm");
  });

  it("keeps the last of duplicate entries", async () => {
    const bytes = rename(
      zip([["manifest.json", manifest("First")], ["manifest.jsoX", manifest("Last")], ["plugin.wasm", Buffer.from("old!")], ["plugin.wasX", WASM]]),
      ".jsoX",
      ".json",
    );
    const dup = rename(bytes, "plugin.wasX", "plugin.wasm");
    const pkg = await openPackage(dup);
    expect(pkg.manifest.name).toBe("Last");
    expect(Buffer.from(pkg.wasm)).toEqual(WASM);
  });

  it("fails on a file that is not a zip", async () => {
    const err = await rejection(openPackage(write("junk.ndp", Buffer.from("definitely not a zip"))));
    expect(err).toBeInstanceOf(PackageError);
    expect(err.message).toBe("opening package: zip: not a valid zip file");
    expect((await rejection(openPackage(path.join(dir, "missing.ndp")))).message).toMatch(/^opening package: .*ENOENT/);
  });

  it("refuses archives with too many entries", async () => {
    const entries: [string, Buffer][] = [["manifest.json", manifest("P")], ["plugin.wasm", WASM]];
    for (let i = entries.length; i <= MAX_ENTRIES; i++) entries.push([`f${i}`, Buffer.alloc(0)]);
    expect((await rejection(openPackage(zip(entries)))).message).toBe(`opening package: too many entries: ${MAX_ENTRIES + 1} (limit ${MAX_ENTRIES})`);
    await expect(openPackage(zip(entries.slice(0, MAX_ENTRIES)))).resolves.toBeTruthy();
  });

  it("refuses a manifest whose declared size is over the limit before inflating it", async () => {
    const bytes = patchCentral(zip([["manifest.json", manifest("P")], ["plugin.wasm", WASM]]), "manifest.json", 24, MAX_MANIFEST_BYTES + 1);
    expect((await rejection(openPackage(bytes))).message).toBe(`reading manifest: manifest.json is too large: ${MAX_MANIFEST_BYTES + 1} bytes (limit ${MAX_MANIFEST_BYTES})`);
  });

  it("refuses a manifest that really is over the limit", async () => {
    const big = Buffer.concat([manifest("P").subarray(0, -1), Buffer.from(`,"description":"${"x".repeat(MAX_MANIFEST_BYTES)}"}`)]);
    expect((await rejection(openPackage(zip([["manifest.json", big], ["plugin.wasm", WASM]])))).message).toMatch(/^reading manifest: manifest.json is too large/);
  });

  it("refuses a wasm whose declared size is over the limit", async () => {
    const bytes = patchCentral(zip([["manifest.json", manifest("P")], ["plugin.wasm", WASM]]), "plugin.wasm", 24, MAX_WASM_BYTES + 1);
    expect((await rejection(openPackage(bytes))).message).toMatch(/^reading wasm: plugin.wasm is too large: 268435457 bytes/);
  });

  it("stops inflating at the declared size when the data is larger (zip bomb)", async () => {
    const bomb = Buffer.alloc(4 * 1024 * 1024); // deflates to a few KiB
    const bytes = patchCentral(zip([["manifest.json", manifest("P")], ["plugin.wasm", bomb]]), "plugin.wasm", 24, 1000);
    expect((await rejection(openPackage(bytes))).message).toBe("reading wasm: zip: not a valid zip file");
    const stored = patchCentral(zip([["manifest.json", manifest("P")], ["plugin.wasm", WASM]], { stored: true }), "plugin.wasm", 24, 4);
    expect((await rejection(openPackage(stored))).message).toBe("reading wasm: zip: not a valid zip file");
  });

  it("reports data shorter than declared and checksum mismatches", async () => {
    const short = patchCentral(zip([["manifest.json", manifest("P")], ["plugin.wasm", WASM]]), "plugin.wasm", 24, 100);
    expect((await rejection(openPackage(short))).message).toBe("reading wasm: unexpected EOF");
    const badCrc = patchCentral(zip([["manifest.json", manifest("P")], ["plugin.wasm", WASM]]), "manifest.json", 16, 0x12345678);
    expect((await rejection(openPackage(badCrc))).message).toBe("reading manifest: zip: checksum error");
  });

  it("wraps manifest errors with Navidrome's prefix and keeps the path", async () => {
    const err = await rejection(openPackage(zip([["manifest.json", Buffer.from(`{"author":"a","version":"1"}`)], ["plugin.wasm", WASM]])));
    expect(err).toBeInstanceOf(ManifestError);
    expect(err.message).toBe("parsing manifest: parsing manifest JSON: field name in Manifest: required");
    expect((err as ManifestError).path).toBe("/name");
  });
});

describe("readManifestOnly", () => {
  it("keeps the first of duplicate manifests", async () => {
    const bytes = rename(zip([["manifest.json", manifest("First")], ["manifest.jsoX", manifest("Last")], ["plugin.wasm", WASM]]), ".jsoX", ".json");
    expect((await readManifestOnly(write("dup.ndp", bytes))).name).toBe("First");
  });

  it("does not need or read the wasm", async () => {
    expect((await readManifestOnly(zip([["manifest.json", manifest("NoWasm")]]))).name).toBe("NoWasm");
    const badWasm = patchCentral(zip([["manifest.json", manifest("P")], ["plugin.wasm", WASM]]), "plugin.wasm", 16, 0);
    expect((await readManifestOnly(badWasm)).name).toBe("P");
    expect((await rejection(openPackage(badWasm))).message).toBe("reading wasm: zip: checksum error");
  });

  it("reports a missing manifest and a broken one like the full load", async () => {
    expect((await rejection(readManifestOnly(zip([["plugin.wasm", WASM]])))).message).toBe("package missing manifest.json");
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), manifest("P")]);
    expect((await rejection(readManifestOnly(zip([["manifest.json", bom]])))).message).toBe(
      "parsing manifest: parsing manifest JSON: invalid character 'ï' looking for beginning of value",
    );
  });
});

describe("sha256File", () => {
  it("hashes the whole file as hex", async () => {
    expect(await sha256File(write("abc.bin", Buffer.from("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    expect(await sha256File(write("big.bin", big))).toBe(createHash("sha256").update(big).digest("hex"));
  });
});
