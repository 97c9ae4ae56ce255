/**
 * Recently served images, bounded by their total bytes and evicted least recently used
 * first, with single flight: while one request computes a key, others asking for the
 * same key wait for that result instead of computing it again (a burst of identical
 * cover requests decodes the image once).
 */
export class CoverCache<V extends { bytes: Uint8Array }> {
  private readonly map = new Map<string, V>();
  private readonly pending = new Map<string, Promise<{ value: V | null }>>();
  private bytes = 0;

  constructor(private readonly limitBytes: number) {}

  /** The cached value (now the most recently used), or undefined. */
  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }

  /**
   * The value for `key`: cached, or being computed by another caller, or computed now by
   * `compute`, which says whether its result may be kept (a transient failure's answer is
   * not). A value larger than the whole cache is returned but not kept.
   */
  async getOrCompute(key: string, compute: () => Promise<{ value: V | null; keep: boolean }>): Promise<V | null> {
    const hit = this.get(key);
    if (hit) return hit;
    let flight = this.pending.get(key);
    if (!flight) {
      flight = compute()
        .then(({ value, keep }) => {
          if (value && keep) this.set(key, value);
          return { value };
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, flight);
    }
    return (await flight).value;
  }

  private set(key: string, value: V): void {
    if (value.bytes.length > this.limitBytes) return;
    const old = this.map.get(key);
    if (old) this.bytes -= old.bytes.length;
    this.map.delete(key);
    this.map.set(key, value);
    this.bytes += value.bytes.length;
    for (const [k, v] of this.map) {
      if (this.bytes <= this.limitBytes) break;
      this.map.delete(k);
      this.bytes -= v.bytes.length;
    }
  }
}
