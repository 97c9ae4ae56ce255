import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from "node:fs";
import path from "node:path";

/**
 * Complete transcoded files on disk, bounded by their total bytes and evicted least
 * recently used first. Outputs are written to a `.part` file and only renamed in once
 * ffmpeg finished cleanly, so a reader never sees half a file. The index is rebuilt from
 * the folder at start (oldest modification first); leftover `.part` files are removed.
 */
export class TranscodeDiskCache {
  private readonly entries = new Map<string, number>();
  private total = 0;
  private partSeq = 0;

  constructor(
    readonly folder: string,
    readonly limitBytes: number,
  ) {
    mkdirSync(folder, { recursive: true });
    const found: { key: string; size: number; mtime: number }[] = [];
    for (const name of readdirSync(folder)) {
      const file = path.join(folder, name);
      if (name.endsWith(".part")) {
        unlinkQuietly(file);
        continue;
      }
      if (!name.endsWith(".out")) continue;
      const st = statSync(file);
      found.push({ key: name.slice(0, -4), size: st.size, mtime: st.mtimeMs });
    }
    for (const f of found.sort((a, b) => a.mtime - b.mtime)) this.add(f.key, f.size);
    this.evict();
  }

  private fileOf(key: string): string {
    return path.join(this.folder, `${key}.out`);
  }

  private add(key: string, size: number) {
    this.entries.set(key, size);
    this.total += size;
  }

  /** The cached file for `key` (now the most recently used), or null. */
  get(key: string): { file: string; size: number } | null {
    const size = this.entries.get(key);
    if (size === undefined) return null;
    const file = this.fileOf(key);
    try {
      statSync(file);
    } catch {
      // Removed behind our back (an operator cleaning the folder): forget it.
      this.entries.delete(key);
      this.total -= size;
      return null;
    }
    this.entries.delete(key);
    this.entries.set(key, size);
    return { file, size };
  }

  /** A fresh temporary path for an output being written; pass it to `commit` or `discard`. */
  partFile(key: string): string {
    return path.join(this.folder, `${key}.${process.pid}-${++this.partSeq}.part`);
  }

  /** Moves a complete output in; one larger than the whole cache is dropped. */
  commit(key: string, part: string, size: number): void {
    if (size > this.limitBytes) return this.discard(part);
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.entries.delete(key);
      this.total -= previous;
    }
    renameSync(part, this.fileOf(key));
    this.add(key, size);
    this.evict();
  }

  discard(part: string): void {
    unlinkQuietly(part);
  }

  /** Bytes held now. */
  get size(): number {
    return this.total;
  }

  get count(): number {
    return this.entries.size;
  }

  private evict() {
    for (const [key, size] of this.entries) {
      if (this.total <= this.limitBytes) break;
      // An open reader keeps its data: unlinking does not cut a response being served.
      unlinkQuietly(this.fileOf(key));
      this.entries.delete(key);
      this.total -= size;
    }
  }
}

function unlinkQuietly(file: string) {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
