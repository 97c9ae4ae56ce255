/** A value as stored by one of the typed setters; gets of another type miss (contract §4.4). */
export type CacheValue =
  | { type: "string"; value: string }
  | { type: "int"; value: bigint }
  | { type: "float"; value: number }
  | { type: "bytes"; value: Uint8Array | undefined };

interface Entry {
  value: CacheValue;
  ttlMs: number;
  expiresAt: number;
  size: number;
}

/** Rough per-entry bookkeeping cost (map slot, entry object), counted against the bound. */
const ENTRY_OVERHEAD = 64;

function sizeOf(key: string, v: CacheValue): number {
  const payload = v.type === "string" ? v.value.length * 2 : v.type === "bytes" ? (v.value?.byteLength ?? 0) : 8;
  return ENTRY_OVERHEAD + key.length * 2 + payload;
}

/**
 * One plugin's in-memory cache: TTL with sliding expiry (every hit restarts the entry's
 * full TTL, as ttlcache's touch-on-hit), plus a memory bound (Tessitura's addition) that
 * evicts the least recently used entries. Sizes are estimates of the JavaScript heap cost.
 */
export class CacheStore {
  /** Iteration order is recency: the first entry is the least recently used. */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stores or replaces `key` (type and TTL included). A value larger than the bound is not kept. */
  set(key: string, value: CacheValue, ttlMs: number): void {
    this.remove(key);
    const size = sizeOf(key, value);
    if (size > this.maxBytes) return;
    this.entries.set(key, { value, ttlMs, expiresAt: this.now() + ttlMs, size });
    this.bytes += size;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
  }

  /** The live value of `key`, touching it (TTL restarted, most recently used); undefined when missing or expired. */
  get(key: string): CacheValue | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const now = this.now();
    if (e.expiresAt <= now) {
      this.remove(key);
      return undefined;
    }
    e.expiresAt = now + e.ttlMs;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.size;
  }

  /** Drops expired entries (the janitor); returns how many. */
  sweep(): number {
    const now = this.now();
    let n = 0;
    for (const [key, e] of this.entries) {
      if (e.expiresAt <= now) {
        this.remove(key);
        n++;
      }
    }
    return n;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }
}
