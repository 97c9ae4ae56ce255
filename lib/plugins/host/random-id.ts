import { randomBytes } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * A 22-character base62 random ID, the shape Navidrome gives generated task, schedule
 * and connection IDs (contract Appendix B). Bytes ≥ 248 are rejected so every
 * character is uniformly distributed (≈131 bits of randomness).
 */
export function newRandomId(): string {
  let out = "";
  while (out.length < 22) {
    for (const b of randomBytes(32)) {
      if (b >= 248) continue;
      out += BASE62[b % 62];
      if (out.length === 22) break;
    }
  }
  return out;
}
