/**
 * In-memory cache of compiled modules (contract §5.10 `Plugins.CacheSize`).
 *
 * Navidrome keeps wazero's compiled code on disk. V8 in Node 20 offers no way to persist
 * compiled WebAssembly, so what we keep is the `WebAssembly.Module` itself: its wire bytes
 * plus whatever machine code V8 has produced for it so far (functions compile lazily on
 * first call, and that code is kept with the module). A hit saves the validation pass
 * and every function's recompilation after a reload (config save, disable/enable), which
 * is when it matters; nothing survives a restart. Entries are counted by wire size, the
 * only size V8 exposes, and evicted least recently used first once the total exceeds the
 * limit. A limit of 0 disables the cache.
 */
export class CompileCache {
  private readonly entries = new Map<string, { module: WebAssembly.Module; bytes: number }>();
  private total = 0;
  hits = 0;
  misses = 0;

  constructor(readonly limitBytes: number) {}

  get(key: string): WebAssembly.Module | undefined {
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key); // re-insert: Map order is the recency order
    this.entries.set(key, e);
    return e.module;
  }

  set(key: string, module: WebAssembly.Module, bytes: number): void {
    if (this.limitBytes <= 0 || bytes > this.limitBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.total -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { module, bytes });
    this.total += bytes;
    for (const [k, e] of this.entries) {
      if (this.total <= this.limitBytes) break;
      this.entries.delete(k);
      this.total -= e.bytes;
    }
  }

  stats(): { entries: number; bytes: number; limitBytes: number; hits: number; misses: number } {
    return { entries: this.entries.size, bytes: this.total, limitBytes: this.limitBytes, hits: this.hits, misses: this.misses };
  }
}
