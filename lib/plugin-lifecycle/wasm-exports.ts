/**
 * The function export names of a wasm module, read from its export section without
 * compiling it: the permission diff needs the capabilities of a package that is not
 * (and may never be) loaded, and compiling a large module only to list names is slow.
 */
export function wasmFunctionExports(wasm: Uint8Array): string[] {
  if (wasm.length < 8 || wasm[0] !== 0x00 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) throw new Error("not a wasm module");
  let pos = 8;
  const leb = (): number => {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= wasm.length) throw new Error("truncated wasm module");
      const byte = wasm[pos++];
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new Error("malformed LEB128 number in wasm module");
  };
  while (pos < wasm.length) {
    const id = wasm[pos++];
    const size = leb();
    const end = pos + size;
    if (end > wasm.length) throw new Error("truncated wasm section");
    if (id !== 7) {
      pos = end;
      continue;
    }
    const names: string[] = [];
    const decoder = new TextDecoder("utf-8", { fatal: true });
    for (let count = leb(), i = 0; i < count; i++) {
      const len = leb();
      if (pos + len > end) throw new Error("truncated wasm export section");
      const name = decoder.decode(wasm.subarray(pos, pos + len));
      pos += len;
      if (pos >= end) throw new Error("truncated wasm export section");
      const kind = wasm[pos++];
      leb(); // index
      if (kind === 0) names.push(name);
    }
    return names;
  }
  return [];
}
