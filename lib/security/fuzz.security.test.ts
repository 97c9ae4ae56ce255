import AdmZip from "adm-zip";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validatePluginConfig } from "../plugins/config-schema";
import { PluginError } from "../plugins/errors";
import { parseManifest } from "../plugins/manifest/parse";
import { openPackage, readManifestOnly } from "../plugins/package";

// Property-based attacks on everything that parses untrusted input (issue #9 item 2). Seeds are
// fixed so a failure reproduces; `FUZZ_RUNS` raises the case count for a longer soak.
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = 20261125;
const built = path.join(import.meta.dirname, "../../build/plugins");
const goodNdp = readFileSync(path.join(built, "test-config.ndp"));

/** Every failure must be one of ours, with a message an admin can read. */
function expectClearError(err: unknown): void {
  expect(err).toBeInstanceOf(PluginError);
  const message = (err as Error).message;
  expect(message.length).toBeGreaterThan(0);
  expect(message).not.toMatch(/undefined|\[object Object\]|Cannot read propert/);
}

async function attempt(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    expectClearError(err);
  }
}

describe("packages", () => {
  it("survives arbitrary bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        await attempt(() => openPackage(Buffer.from(bytes)));
        await attempt(() => readManifestOnly(Buffer.from(bytes)));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("survives corruption of a valid package (bit flips, truncation, splices)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(goodNdp.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat(goodNdp.length), async (flips, cut) => {
        const bytes = Buffer.from(goodNdp.subarray(0, Math.max(cut, 22)));
        for (const [at, v] of flips) if (at < bytes.length) bytes[at] = v;
        await attempt(() => openPackage(bytes));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("survives zips with arbitrary entry names, duplicates and contents", async () => {
    const entry = fc.record({
      name: fc.oneof(fc.constantFrom("manifest.json", "plugin.wasm", "dist/plugin.wasm", "../manifest.json", "/plugin.wasm", "MANIFEST.JSON"), fc.string({ maxLength: 40 })),
      data: fc.oneof(fc.uint8Array({ maxLength: 512 }), fc.json().map((j) => Buffer.from(j))),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 6 }), async (entries) => {
        const zip = new AdmZip();
        for (const e of entries) {
          try {
            zip.addFile(e.name, Buffer.from(e.data));
          } catch {
            // adm-zip refuses some names itself; the archive is still attacked with the rest
          }
        }
        await attempt(() => openPackage(zip.toBuffer()));
      }),
      { numRuns: Math.ceil(RUNS / 2), seed: SEED },
    );
  });
});

describe("manifests", () => {
  const perm = fc.dictionary(
    fc.constantFrom("reason", "requiredHosts", "filesystem", "maxSize", "maxConcurrency", "extra"),
    fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 })),
  );
  const manifest = fc.record(
    {
      name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
      author: fc.oneof(fc.string(), fc.constant(null)),
      version: fc.oneof(fc.string(), fc.integer()),
      permissions: fc.oneof(fc.dictionary(fc.constantFrom("http", "users", "library", "kvstore", "taskqueue", "subsonicapi", "HTTP", "unknown"), fc.oneof(perm, fc.constant(null))), fc.string()),
      config: fc.oneof(fc.record({ schema: fc.oneof(fc.object(), fc.constant({ type: "object", properties: { a: { type: "nonsense" } } })) }, { requiredKeys: [] }), fc.integer()),
    },
    { requiredKeys: [] },
  );

  it("parses or refuses any manifest with a clear error, never crashing", () => {
    fc.assert(
      fc.property(manifest, fc.boolean(), (m, strict) => {
        try {
          const parsed = parseManifest(JSON.stringify(m), { strict });
          expect(typeof parsed.name).toBe("string");
          expect(parsed.name.length).toBeGreaterThan(0);
        } catch (err) {
          expectClearError(err);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("refuses arbitrary text with a clear error", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        try {
          parseManifest(text);
        } catch (err) {
          expectClearError(err);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

describe("plugin configuration", () => {
  const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, "../../plugins/testdata/test-config/manifest.json"), "utf8")).config.schema;
  it("validates any JSON value against the schema with per-field messages", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const errors = validatePluginConfig(schema, value);
        for (const e of errors) {
          expect(typeof e.field).toBe("string");
          expect(e.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
