/**
 * Minimal WebAssembly binary surgery done once per load, before compiling:
 *
 *  - every mutable global the module defines gets an export (`__tess_g<index>`), and a
 *    defined memory that is not exported gets one (`__tess_memory`), so the worker can
 *    snapshot and restore an instance's complete state after initialisation;
 *  - the defined memory's maximum is lowered to the configured limit, so `memory.grow`
 *    fails inside the plugin instead of exhausting the server.
 *
 * Only the section framing, imports, memory, globals and exports are parsed; function
 * bodies are copied untouched.
 */

const PAGE = 65536;
export const GLOBAL_EXPORT_PREFIX = "__tess_g";
export const MEMORY_EXPORT = "__tess_memory";

export interface RewriteResult {
  bytes: Uint8Array;
  /** Name under which the defined memory is exported, or null when the module has none (or imports it). */
  memoryExport: string | null;
  /** Export names of the mutable globals, including ones the module already exported. */
  mutableGlobals: string[];
  /** Reasons a snapshot of this module cannot capture its whole state (empty when it can). */
  snapshotBlockers: string[];
  /** Initial pages of the defined memory. */
  initialPages: number;
}

export class WasmFormatError extends Error {}

class Reader {
  constructor(
    readonly b: Uint8Array,
    public p = 0,
  ) {}
  byte(): number {
    if (this.p >= this.b.length) throw new WasmFormatError("unexpected end of module");
    return this.b[this.p++];
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new WasmFormatError("malformed LEB128");
    }
  }
  skipLeb(): void {
    while (this.byte() & 0x80);
  }
  name(): string {
    const len = this.u32();
    const s = new TextDecoder().decode(this.b.subarray(this.p, this.p + len));
    this.p += len;
    return s;
  }
  skip(n: number): void {
    this.p += n;
  }
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function encodeName(s: string): number[] {
  const bytes = new TextEncoder().encode(s);
  return [...leb(bytes.length), ...bytes];
}

function skipValType(r: Reader): number {
  const t = r.byte();
  // (ref null? ht) in the GC / typed-function-references proposals
  if (t === 0x63 || t === 0x64) r.skipLeb();
  return t;
}

function skipLimits(r: Reader): { flags: number; min: number; max: number | null } {
  const flags = r.byte();
  const min = r.u32();
  const max = flags & 1 ? r.u32() : null;
  return { flags, min, max };
}

/** Skips a constant expression (init of a global), including extended-const arithmetic. */
function skipConstExpr(r: Reader): void {
  for (;;) {
    const op = r.byte();
    switch (op) {
      case 0x0b:
        return;
      case 0x41: // i32.const
      case 0x42: // i64.const
      case 0x23: // global.get
      case 0xd2: // ref.func
        r.skipLeb();
        break;
      case 0x43:
        r.skip(4);
        break;
      case 0x44:
        r.skip(8);
        break;
      case 0xd0: // ref.null ht
        r.skipLeb();
        break;
      case 0x6a:
      case 0x6b:
      case 0x6c:
      case 0x7c:
      case 0x7d:
      case 0x7e:
        break; // extended-const add/sub/mul
      case 0xfd: // v128.const
        r.skipLeb();
        r.skip(16);
        break;
      default:
        throw new WasmFormatError(`unsupported opcode 0x${op.toString(16)} in a global initialiser`);
    }
  }
}

interface Section {
  id: number;
  start: number; // offset of the payload
  end: number;
}

function readSections(b: Uint8Array): Section[] {
  if (b.length < 8 || b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) throw new WasmFormatError("not a WebAssembly module (bad magic number)");
  if (b[4] !== 1 || b[5] !== 0 || b[6] !== 0 || b[7] !== 0) throw new WasmFormatError("unsupported WebAssembly version (components are not plugins)");
  const r = new Reader(b, 8);
  const out: Section[] = [];
  while (r.p < b.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.p;
    if (start + size > b.length) throw new WasmFormatError("section extends past the end of the module");
    out.push({ id, start, end: start + size });
    r.p = start + size;
  }
  return out;
}

function sectionBytes(id: number, payload: number[] | Uint8Array): number[] {
  return [id, ...leb(payload.length), ...payload];
}

/** Rewrites the module as described above. `memoryLimitBytes` of 0 leaves the maximum alone. */
export function rewriteModule(input: Uint8Array, memoryLimitBytes: number): RewriteResult {
  const sections = readSections(input);
  const blockers: string[] = [];
  let importedGlobals = 0;
  let importsMemory = false;
  const existingExports = new Map<string, { kind: number; index: number }>();
  let definedMemory: { flags: number; min: number; max: number | null } | null = null;
  const mutableGlobalIndices: number[] = [];

  for (const s of sections) {
    const r = new Reader(input, s.start);
    if (s.id === 2) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        r.name();
        r.name();
        const kind = r.byte();
        if (kind === 0) r.u32();
        else if (kind === 1) {
          skipValType(r);
          skipLimits(r);
        } else if (kind === 2) {
          skipLimits(r);
          importsMemory = true;
        } else if (kind === 3) {
          skipValType(r);
          const mut = r.byte();
          if (mut) blockers.push("imports a mutable global");
          importedGlobals++;
        } else if (kind === 4) {
          r.byte();
          r.u32();
        } else throw new WasmFormatError(`unknown import kind ${kind}`);
      }
    } else if (s.id === 5) {
      const n = r.u32();
      if (n > 1) blockers.push("defines several memories");
      if (n >= 1) definedMemory = skipLimits(r);
      if (definedMemory && definedMemory.flags & 4) throw new WasmFormatError("64-bit memories are not supported");
    } else if (s.id === 6) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const t = skipValType(r);
        const mut = r.byte();
        skipConstExpr(r);
        if (mut) {
          if (t === 0x7b) blockers.push("has a mutable v128 global");
          else if (t !== 0x7f && t !== 0x7e && t !== 0x7d && t !== 0x7c) blockers.push("has a mutable reference global");
          mutableGlobalIndices.push(importedGlobals + i);
        }
      }
    } else if (s.id === 7) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const name = r.name();
        const kind = r.byte();
        const index = r.u32();
        existingExports.set(name, { kind, index });
      }
    }
  }
  if (importsMemory) blockers.push("imports its memory");

  // Exports to add: mutable globals not yet exported, and the memory.
  const globalExportName = new Map<number, string>();
  for (const [name, e] of existingExports) if (e.kind === 3) globalExportName.set(e.index, name);
  const added: { name: string; kind: number; index: number }[] = [];
  const mutableGlobals: string[] = [];
  for (const gi of mutableGlobalIndices) {
    let name = globalExportName.get(gi);
    if (!name) {
      name = `${GLOBAL_EXPORT_PREFIX}${gi}`;
      added.push({ name, kind: 3, index: gi });
    }
    mutableGlobals.push(name);
  }
  let memoryExport: string | null = null;
  if (definedMemory && !importsMemory) {
    for (const [name, e] of existingExports) if (e.kind === 2 && e.index === 0) memoryExport ??= name;
    if (!memoryExport) {
      memoryExport = MEMORY_EXPORT;
      added.push({ name: MEMORY_EXPORT, kind: 2, index: 0 });
    }
  }

  let limitPages = memoryLimitBytes > 0 ? Math.max(1, Math.floor(memoryLimitBytes / PAGE)) : 0;
  if (definedMemory && limitPages && definedMemory.min > limitPages) {
    throw new WasmFormatError(
      `memory limit: the module needs ${definedMemory.min} pages (${(definedMemory.min * PAGE) / 1048576} MiB) at start, the limit is ${limitPages} pages`,
    );
  }

  const out: Uint8Array[] = [input.subarray(0, 8)];
  let wroteExports = false;
  const hasExportSection = sections.some((s) => s.id === 7);
  const writeExports = (existing: Section | null) => {
    const entries: number[] = [];
    let count = 0;
    if (existing) {
      const r = new Reader(input, existing.start);
      count = r.u32();
      for (let i = r.p; i < existing.end; i++) entries.push(input[i]);
    }
    for (const a of added) {
      entries.push(...encodeName(a.name), a.kind, ...leb(a.index));
      count++;
    }
    out.push(Uint8Array.from(sectionBytes(7, [...leb(count), ...entries])));
    wroteExports = true;
  };

  for (const s of sections) {
    // The export section (7) sits between global (6) and start (8); create one if absent.
    if (!hasExportSection && !wroteExports && s.id >= 8) writeExports(null);
    if (s.id === 7) {
      writeExports(s);
      continue;
    }
    if (s.id === 5 && definedMemory && limitPages) {
      const r = new Reader(input, s.start);
      const n = r.u32();
      const lim = skipLimits(r);
      const max = lim.max === null ? limitPages : Math.min(lim.max, limitPages);
      const shared = lim.flags & 2;
      const rest = input.subarray(r.p, s.end);
      out.push(Uint8Array.from(sectionBytes(5, [...leb(n), 1 | shared, ...leb(lim.min), ...leb(max), ...rest])));
      continue;
    }
    pushRange(out, input, s);
  }
  if (!wroteExports && added.length) writeExports(null);

  const total = out.reduce((n, c) => n + c.length, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of out) {
    bytes.set(c, at);
    at += c.length;
  }
  return {
    bytes,
    memoryExport,
    mutableGlobals,
    snapshotBlockers: blockers,
    initialPages: definedMemory?.min ?? 0,
  };
}

function pushRange(out: Uint8Array[], input: Uint8Array, s: Section): void {
  // Re-emit the section header with its original size, then the payload.
  out.push(Uint8Array.from([s.id, ...leb(s.end - s.start)]), input.subarray(s.start, s.end));
}
