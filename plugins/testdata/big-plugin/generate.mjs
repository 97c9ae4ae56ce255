// Generates a ~2 MB WebAssembly module the size of a real TinyGo/Rust plugin: ~3,000
// functions of straight-line arithmetic, 17 pages of memory with a 512 KiB data segment,
// and one trivial export `nd_noop`. Deterministic, so the build cache holds.
const FUNCTIONS = 3000;
const OPS_PER_FUNCTION = 60;
const DATA_BYTES = 512 * 1024;

function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
function sleb(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return out.push(b), out;
    out.push(b | 0x80);
  }
}
const name = (s) => [...leb(s.length), ...Buffer.from(s)];
const section = (id, body) => [id, ...leb(body.length), ...body];

export default function generate() {
  const parts = [[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]];
  parts.push(section(1, [2, 0x60, 0, 1, 0x7f, 0x60, 1, 0x7f, 1, 0x7f]));
  const funcs = [...leb(FUNCTIONS + 1), 0];
  for (let i = 0; i < FUNCTIONS; i++) funcs.push(1);
  parts.push(section(3, funcs));
  parts.push(section(5, [1, 0, 17]));
  parts.push(section(7, [2, ...name("memory"), 2, 0, ...name("nd_noop"), 0, 0]));
  const bodies = [];
  bodies.push([4, 0, 0x41, 0, 0x0b]); // nd_noop: i32.const 0
  let seed = 7;
  for (let f = 0; f < FUNCTIONS; f++) {
    const code = [0, 0x20, 0];
    for (let k = 0; k < OPS_PER_FUNCTION; k++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      code.push(0x41, ...sleb(seed & 0xfffff), 0x6a, 0x41, ...sleb((seed >> 7) & 0xfff), 0x73);
    }
    code.push(0x0b);
    bodies.push([...leb(code.length), ...code]);
  }
  const codeBody = [...leb(bodies.length)];
  for (const b of bodies) for (const x of b) codeBody.push(x);
  parts.push(section(10, codeBody));
  const data = new Uint8Array(DATA_BYTES);
  for (let i = 0; i < DATA_BYTES; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    data[i] = seed >> 16;
  }
  parts.push(section(11, [1, 0, 0x41, ...sleb(1024), 0x0b, ...leb(DATA_BYTES), ...data]));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
