import { GoTypeError, type JsonNode } from "../go-json";

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

/**
 * Decodes a Go `int64` field exactly (as a bigint, so values past 2^53 keep every digit);
 * undefined for missing or `null`. Fractions and out-of-range numbers fail as in Go.
 */
export function decodeInt64(n: JsonNode | undefined, field: string, path: string): bigint | undefined {
  if (!n || n.kind === "null") return undefined;
  if (n.kind !== "number" || !/^-?\d+$/.test(n.raw)) throw new GoTypeError(n, field, "int64", path);
  const v = BigInt(n.raw);
  if (v < MIN || v > MAX) throw new GoTypeError(n, field, "int64", path);
  return v;
}
