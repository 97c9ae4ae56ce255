import "server-only";
import { log } from "../log";
import { remember } from "../server/remember";
import { systemClock, type Clock, type Timer } from "../server/clock";
import { listRepositories, refreshRepositories } from "./repositories";

/** Catalogs are fetched again once they are this old. */
export const CATALOG_REFRESH_MS = 24 * 60 * 60 * 1000;
/** A catalog whose last fetch failed is tried again after this long. */
export const CATALOG_RETRY_MS = 60 * 60 * 1000;
/** The first check after start-up, so boot never waits on the network. */
export const CATALOG_STARTUP_DELAY_MS = 60 * 1000;
const MIN_WAIT_MS = 60 * 1000;

/**
 * The daily catalog refresh: one timer on the injected clock, armed for the next
 * repository that falls due (24 h after its last good fetch; 1 h after a failed attempt;
 * at once when never fetched). Each run refreshes only the due repositories, then re-arms.
 * Work runs one job at a time; `idle()` settles when queued work is done (tests wait on it).
 */
export class CatalogRefresher {
  private timer: Timer | null = null;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Last attempt per repository (good or failed), on this clock. */
  private readonly attempted = new Map<number, number>();
  /** When the timer fires next (null: not armed). */
  nextRunAt: Date | null = null;

  constructor(private readonly clock: Clock) {}

  start(): void {
    this.arm(CATALOG_STARTUP_DELAY_MS);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    this.nextRunAt = null;
  }

  /** Settles when every job queued so far has run. */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(async () => {
      if (this.stopped) return;
      try {
        await job();
      } catch (err) {
        log.error({ err: (err as Error).message }, "plugin catalog refresh failed");
      }
    });
    return this.queue;
  }

  private arm(ms: number): void {
    this.timer?.cancel();
    if (this.stopped) return;
    this.nextRunAt = new Date(this.clock.now().getTime() + ms);
    this.timer = this.clock.setTimer(() => void this.enqueue(() => this.run()), ms);
  }

  /** When each repository falls due, on this clock. */
  private dueAt(r: { id: number; lastFetchedAt: string | null; lastError: string | null }): number {
    const fetched = r.lastFetchedAt ? Date.parse(r.lastFetchedAt) : null;
    const attempted = this.attempted.get(r.id) ?? fetched;
    if (attempted === null || attempted === undefined) return 0;
    if (r.lastError && (fetched === null || attempted > fetched)) return attempted + CATALOG_RETRY_MS;
    return (fetched ?? attempted) + CATALOG_REFRESH_MS;
  }

  private async run(): Promise<void> {
    try {
      const now = this.clock.now();
      const due = (await listRepositories()).filter((r) => this.dueAt(r) <= now.getTime());
      for (const r of due) this.attempted.set(r.id, now.getTime());
      // One at a time by id keeps each failure its own (refreshRepositories isolates them too).
      for (const r of due) await refreshRepositories({ id: r.id, now }).catch((err) => log.warn({ repository: r.url, err: (err as Error).message }, "plugin catalog refresh skipped"));
    } finally {
      const repos = await listRepositories().catch(() => []);
      const next = repos.length ? Math.min(...repos.map((r) => this.dueAt(r))) - this.clock.now().getTime() : CATALOG_REFRESH_MS;
      this.arm(Math.min(CATALOG_REFRESH_MS, Math.max(MIN_WAIT_MS, next)));
    }
  }
}

const holder = remember("pluginCatalogRefresher", () => ({ refresher: null as CatalogRefresher | null }));

/** Starts the process's catalog refresher (boot; tests restart it with their own clock). */
export function startCatalogRefresher(clock: Clock = systemClock): CatalogRefresher {
  if (!holder.refresher) {
    holder.refresher = new CatalogRefresher(clock);
    holder.refresher.start();
  }
  return holder.refresher;
}

export function catalogRefresher(): CatalogRefresher | null {
  return holder.refresher;
}

export function stopCatalogRefresher(): void {
  holder.refresher?.stop();
  holder.refresher = null;
}
