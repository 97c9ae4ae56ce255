/**
 * The two go-humanize functions Navidrome's KVStore uses (contract §4.5): `ParseBytes`
 * for the manifest's `maxSize`, `Bytes` for the quota error. Sizes are SI for `KB`/`MB`
 * (1000-based) and IEC for `KiB`/`MiB` (1024-based), so `"1MB"` is 1 000 000 bytes.
 */

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  ki: 2 ** 10,
  kib: 2 ** 10,
  m: 1e6,
  mb: 1e6,
  mi: 2 ** 20,
  mib: 2 ** 20,
  g: 1e9,
  gb: 1e9,
  gi: 2 ** 30,
  gib: 2 ** 30,
  t: 1e12,
  tb: 1e12,
  ti: 2 ** 40,
  tib: 2 ** 40,
  p: 1e15,
  pb: 1e15,
  pi: 2 ** 50,
  pib: 2 ** 50,
  e: 1e18,
  eb: 1e18,
  ei: 2 ** 60,
  eib: 2 ** 60,
};

const MAX_UINT64 = 2 ** 64;

/**
 * go-humanize `ParseBytes`: a number (digits, `.`, `,` as thousands separator) directly
 * at the start, then an optional unit, case-insensitive, spaces around it allowed.
 * Fractions of a byte are truncated. Throws with go-humanize's error text.
 */
export function parseBytes(s: string): number {
  const numPart = /^[0-9.,]*/.exec(s)![0];
  const num = numPart.replace(/,/g, "");
  if (!/^(\d+\.?\d*|\.\d+)$/.test(num)) throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(num)}: invalid syntax`);
  const extra = s.slice(numPart.length).trim().toLowerCase();
  const unit = Object.hasOwn(UNITS, extra) ? UNITS[extra] : undefined;
  if (unit === undefined) throw new Error(`unhandled size name: ${extra}`);
  const f = Number(num) * unit;
  if (f >= MAX_UINT64) throw new Error(`too large: ${s}`);
  return Math.trunc(f);
}

const SI_SIZES = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];

/** go-humanize `Bytes`: SI units, one decimal below 10 (`1.0 MB`), none above (`10 kB`), `%d B` under 10. */
export function formatBytes(n: number): string {
  if (n < 10) return `${n} B`;
  const e = Math.floor(Math.log(n) / Math.log(1000));
  // One decimal, rounded half up as go-humanize does; kept in tenths to print it exactly.
  const tenths = Math.floor((n / 1000 ** e) * 10 + 0.5);
  const suffix = SI_SIZES[e];
  if (tenths < 100) return `${Math.floor(tenths / 10)}.${tenths % 10} ${suffix}`;
  // `%.0f` rounds a tie (x.5) to the even integer.
  let whole = Math.floor(tenths / 10);
  const rest = tenths % 10;
  if (rest > 5 || (rest === 5 && whole % 2 === 1)) whole++;
  return `${whole} ${suffix}`;
}
