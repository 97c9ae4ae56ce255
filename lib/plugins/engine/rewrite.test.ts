/**
 * The load-time binary rewrite (rewrite.ts): on every fixture it must produce a valid module
 * that behaves like the original, with every mutable global and the memory exported; on any
 * other input it must either succeed or fail with a WasmFormatError, which Engine.load turns
 * into an EngineLoadError carrying the message (any other exception would surface as a
 * confusing "invalid module: <internal error>").
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Kernel } from "./kernel.mjs";
import { GLOBAL_EXPORT_PREFIX, MEMORY_EXPORT, rewriteModule, WasmFormatError } from "./rewrite";

const BUILD = path.join(import.meta.dirname, "../../../build/plugins");
const MiB = 1024 * 1024;
const FIXTURES = readdirSync(BUILD)
  .filter((f) => f.endsWith(".wasm"))
  .map((f) => ({ name: f.slice(0, -5), wasm: new Uint8Array(readFileSync(path.join(BUILD, f))) }));
const RUNTIME_EXPORTS = new Set(["__new", "__pin", "__unpin", "__collect", "_initialize"]);

/** Imports for one instance: a real Extism kernel, and stubs (returning 0) for WASI and host functions. */
function importsFor(module: WebAssembly.Module, input: Uint8Array) {
  const kernel = new Kernel({ config: { greeting: "hi" }, logLevel: 0, limitBytes: 0, onLog: () => {}, http: () => ({ status: 0, headers: new Uint8Array(), body: new Uint8Array() }) });
  kernel.reset(input);
  const env = kernel.imports() as Record<string, (...a: unknown[]) => unknown>;
  const imports: Record<string, Record<string, unknown>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    imports[imp.module] ??= {};
    if (imp.module === "extism:host/env") imports[imp.module][imp.name] = env[imp.name];
    else if (imp.module === "wasi_snapshot_preview1") imports[imp.module][imp.name] = () => 0;
    else imports[imp.module][imp.name] = () => 0n;
  }
  return { kernel, imports: imports as WebAssembly.Imports };
}

/** Runs one export on a new instance; the kernel state and trap are what a plugin call yields. */
function run(module: WebAssembly.Module, fn: string, input: Uint8Array) {
  const { kernel, imports } = importsFor(module, input);
  const instance = new WebAssembly.Instance(module, imports);
  const ex = instance.exports as Record<string, () => unknown>;
  try {
    if (typeof ex._initialize === "function") ex._initialize();
    kernel.reset(input);
    const code = ex[fn]();
    return { code, output: Buffer.from(kernel.output()).toString("hex"), error: kernel.error() };
  } catch (err) {
    return { trap: `${(err as Error).constructor.name}: ${(err as Error).message}` };
  }
}

describe("rewriteModule on every fixture", () => {
  it.each(FIXTURES.map((f) => [f.name, f.wasm] as const))("%s: valid, same imports and exports plus globals and memory", (_name, wasm) => {
    const r = rewriteModule(wasm, 64 * MiB);
    expect(WebAssembly.validate(r.bytes as BufferSource)).toBe(true);
    const before = new WebAssembly.Module(wasm as BufferSource);
    const after = new WebAssembly.Module(r.bytes as BufferSource);
    expect(WebAssembly.Module.imports(after)).toEqual(WebAssembly.Module.imports(before));
    const exportsAfter = WebAssembly.Module.exports(after);
    for (const e of WebAssembly.Module.exports(before)) expect(exportsAfter).toContainEqual(e);
    for (const g of r.mutableGlobals) expect(exportsAfter).toContainEqual({ name: g, kind: "global" });
    expect(r.memoryExport).not.toBeNull();
    expect(exportsAfter).toContainEqual({ name: r.memoryExport, kind: "memory" });
    // Only what the rewrite adds is new.
    const added = exportsAfter.filter((e) => !WebAssembly.Module.exports(before).some((b) => b.name === e.name));
    for (const e of added) expect(e.name === MEMORY_EXPORT || e.name.startsWith(GLOBAL_EXPORT_PREFIX)).toBe(true);
  });

  it.each(FIXTURES.filter((f) => f.name !== "big-plugin").map((f) => [f.name, f.wasm] as const))(
    "%s: every export behaves the same before and after the rewrite",
    (_name, wasm) => {
      const before = new WebAssembly.Module(wasm as BufferSource);
      const after = new WebAssembly.Module(rewriteModule(wasm, 64 * MiB).bytes as BufferSource);
      const input = new TextEncoder().encode('{"name":"Björk","id":"a1","track":{"title":"Jóga"},"ops":[]}');
      // Exports that loop forever or grow memory until it fails are the timeout/limit fixtures.
      const skip = /^(nd_spin|nd_grow|grow|grow_fast|slow|user_flood|alloc_flood|huge_output|host_flood|recurse)$/;
      const loops = new Set(["wat-loop", "wat-grow"]);
      let compared = 0;
      for (const e of WebAssembly.Module.exports(before)) {
        if (e.kind !== "function" || RUNTIME_EXPORTS.has(e.name) || skip.test(e.name) || loops.has(_name)) continue;
        expect(run(after, e.name, input), e.name).toEqual(run(before, e.name, input));
        compared++;
      }
      if (!loops.has(_name) && _name !== "wat-slow") expect(compared).toBeGreaterThan(0);
    },
  );

  it("exports every mutable global so its value round-trips through the export", () => {
    let globals = 0;
    for (const { name, wasm } of FIXTURES) {
      const r = rewriteModule(wasm, 0);
      const module = new WebAssembly.Module(r.bytes as BufferSource);
      const { imports } = importsFor(module, new Uint8Array());
      const ex = new WebAssembly.Instance(module, imports).exports;
      for (const g of r.mutableGlobals) {
        const glob = ex[g] as WebAssembly.Global;
        expect(glob, `${name}.${g}`).toBeInstanceOf(WebAssembly.Global);
        const v = glob.value;
        const next = typeof v === "bigint" ? v + 12345n : v + 12345;
        glob.value = next;
        expect(glob.value).toBe(next);
        glob.value = v;
        expect(glob.value).toBe(v);
        globals++;
      }
      expect(ex[r.memoryExport as string]).toBeInstanceOf(WebAssembly.Memory);
    }
    expect(globals).toBeGreaterThan(30); // AssemblyScript keeps its stack pointer and heap state in globals
  });

  it("caps the memory maximum at the limit and refuses a module that starts above it", () => {
    const wasm = FIXTURES.find((f) => f.name === "test-state")!.wasm;
    const r = rewriteModule(wasm, 2 * MiB);
    const module = new WebAssembly.Module(r.bytes as BufferSource);
    const mem = new WebAssembly.Instance(module, importsFor(module, new Uint8Array()).imports).exports[r.memoryExport as string] as WebAssembly.Memory;
    const pages = mem.buffer.byteLength / 65536;
    expect(mem.grow(32 - pages)).toBe(pages);
    expect(() => mem.grow(1)).toThrow(/Maximum memory size exceeded/);
    // (module (memory 4)) under a 3-page limit
    const fourPages = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 0, 4]);
    expect(WebAssembly.validate(fourPages)).toBe(true);
    expect(() => rewriteModule(fourPages, 3 * 65536)).toThrow(WasmFormatError);
    expect(() => rewriteModule(fourPages, 3 * 65536)).toThrow("memory limit: the module needs 4 pages (0.25 MiB) at start, the limit is 3 pages");
  });
});

describe("rewriteModule on malformed input (seeded fuzzing)", () => {
  /** The only acceptable failure: a WasmFormatError with a message. */
  function rewriteOrFormatError(bytes: Uint8Array): "ok" | "format" {
    try {
      const r = rewriteModule(bytes, 16 * MiB);
      // A module that validated must still validate after the rewrite.
      if (WebAssembly.validate(bytes as BufferSource) && !WebAssembly.validate(r.bytes as BufferSource)) throw new Error("rewrite broke a valid module");
      return "ok";
    } catch (err) {
      if (err instanceof WasmFormatError && err.message.length > 0) return "format";
      throw err;
    }
  }

  const small = FIXTURES.filter((f) => f.wasm.length < 30_000).map((f) => f.wasm);
  const seedModule = fc.constantFrom(...small);

  it("random bytes (with and without the wasm header)", () => {
    const header = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (body, withHeader) => {
        rewriteOrFormatError(withHeader ? Uint8Array.from([...header, ...body]) : body);
      }),
      { seed: 11, numRuns: 2000 },
    );
  });

  it("truncations of valid modules", () => {
    fc.assert(
      fc.property(seedModule, fc.double({ min: 0, max: 1, noNaN: true }), (wasm, at) => {
        rewriteOrFormatError(wasm.subarray(0, Math.floor(wasm.length * at)));
      }),
      { seed: 12, numRuns: 400 },
    );
  });

  it("bit flips in valid modules", () => {
    fc.assert(
      fc.property(seedModule, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }), (wasm, flips) => {
        const b = wasm.slice();
        for (const [pos, bit] of flips) b[8 + Math.floor(pos * (b.length - 8))] ^= 1 << bit;
        rewriteOrFormatError(b);
      }),
      { seed: 13, numRuns: 600 },
    );
  });

  it("sections spliced between modules (dropped, duplicated, moved)", () => {
    const sectionsOf = (b: Uint8Array): Uint8Array[] => {
      const out: Uint8Array[] = [];
      let p = 8;
      while (p < b.length) {
        const start = p++;
        let size = 0;
        let shift = 0;
        for (;;) {
          const byte = b[p++];
          size += (byte & 0x7f) * 2 ** shift;
          if (!(byte & 0x80)) break;
          shift += 7;
        }
        out.push(b.subarray(start, p + size));
        p += size;
      }
      return out;
    };
    fc.assert(
      fc.property(seedModule, seedModule, fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), (a, b, picks) => {
        const pool = [...sectionsOf(a), ...sectionsOf(b)];
        const chosen = picks.map((i) => pool[i % pool.length]);
        const bytes = new Uint8Array(8 + chosen.reduce((n, s) => n + s.length, 0));
        bytes.set(a.subarray(0, 8));
        let at = 8;
        for (const s of chosen) {
          bytes.set(s, at);
          at += s.length;
        }
        rewriteOrFormatError(bytes);
      }),
      { seed: 14, numRuns: 500 },
    );
  });
});
