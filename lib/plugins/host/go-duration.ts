import { goQuote } from "../../go-quote";

/**
 * Go's `time.ParseDuration`, used by the scheduler: a bare duration (`5m`) becomes
 * `@every 5m`, and `@every` takes one. Returns nanoseconds as a bigint, or throws with
 * Go's error text (`time: invalid duration "x"`, `time: missing unit in duration "5"`,
 * `time: unknown unit "x" in duration "5x"`).
 */
const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  "µs": 1_000n, // U+00B5
  "μs": 1_000n, // U+03BC
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX = 2n ** 63n - 1n;

export function parseGoDuration(text: string): bigint {
  const invalid = () => new Error(`time: invalid duration ${goQuote(text)}`);
  let s = text;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw invalid();
  let total = 0n;
  while (s !== "") {
    const num = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole, intPart, fracPart] = [num[0], num[1], num[2]];
    if (!(s[0] === "." || (s[0] >= "0" && s[0] <= "9"))) throw invalid();
    if (intPart === "" && (fracPart === undefined || fracPart === "")) throw invalid();
    s = s.slice(whole.length);
    const unitMatch = /^[^\d.]*/.exec(s)![0];
    if (unitMatch === "") throw new Error(`time: missing unit in duration ${goQuote(text)}`);
    const unit = UNITS[unitMatch];
    if (unit === undefined) throw new Error(`time: unknown unit ${goQuote(unitMatch)} in duration ${goQuote(text)}`);
    s = s.slice(unitMatch.length);
    let v = BigInt(intPart || "0") * unit;
    if (fracPart) v += (BigInt(fracPart) * unit) / 10n ** BigInt(fracPart.length);
    total += v;
    if (total > MAX + (neg ? 1n : 0n)) throw invalid();
  }
  return neg ? -total : total;
}
