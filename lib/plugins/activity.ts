/**
 * Per-plugin activity the admin page shows: recent log lines and call metrics per
 * export (count, errors, latency percentiles). Navidrome only exports these to
 * Prometheus; we keep a small window in memory where the admin looks.
 */
export interface LogLine {
  at: string;
  level: string;
  message: string;
}

export interface ExportMetrics {
  name: string;
  count: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  lastError?: string;
}

const MAX_LINES = 200;
const MAX_SAMPLES = 500;

interface ExportStats {
  count: number;
  errors: number;
  samples: number[];
  lastError?: string;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export class PluginActivity {
  private readonly lines: LogLine[] = [];
  private readonly exports = new Map<string, ExportStats>();

  log(level: string, message: string): void {
    this.lines.push({ at: new Date().toISOString(), level, message: message.length > 2000 ? `${message.slice(0, 2000)}…` : message });
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
  }

  recordCall(name: string, ms: number, error?: string): void {
    let s = this.exports.get(name);
    if (!s) this.exports.set(name, (s = { count: 0, errors: 0, samples: [] }));
    s.count += 1;
    if (error !== undefined) {
      s.errors += 1;
      s.lastError = error;
    }
    s.samples.push(ms);
    if (s.samples.length > MAX_SAMPLES) s.samples.shift();
  }

  recentLines(): LogLine[] {
    return [...this.lines];
  }

  metrics(): ExportMetrics[] {
    return [...this.exports.entries()]
      .map(([name, s]) => {
        const sorted = [...s.samples].sort((a, b) => a - b);
        return { name, count: s.count, errors: s.errors, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), lastError: s.lastError };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
