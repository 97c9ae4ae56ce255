import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/** Task statuses (contract §4.6). */
export type TaskStatus = "pending" | "running" | "completed" | "failed" | "cancelled";

/** A queue's settings after defaults and clamping. */
export interface QueueConfig {
  concurrency: number;
  maxRetries: number;
  backoffMs: number;
  delayMs: number;
  retentionMs: number;
}

/** A task taken off the queue: already `running`, its attempt already incremented. */
export interface DequeuedTask {
  id: string;
  payload: Uint8Array;
  attempt: number;
  maxRetries: number;
}

export interface TaskInfo {
  status: string;
  message: string;
  attempt: number;
}

export interface QueueCounts {
  queue: string;
  counts: Record<TaskStatus, number>;
}

export interface TaskFailure {
  id: string;
  queue: string;
  attempt: number;
  message: string;
  at: string;
}

/**
 * Navidrome's schema (contract §4.6), applied as numbered migrations tracked with
 * `PRAGMA user_version`, so a database written by either server opens in the other.
 */
const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS queues (
    name TEXT PRIMARY KEY,
    concurrency INTEGER NOT NULL DEFAULT 1,
    max_retries INTEGER NOT NULL DEFAULT 0,
    backoff_ms INTEGER NOT NULL DEFAULT 1000,
    delay_ms INTEGER NOT NULL DEFAULT 0,
    retention_ms INTEGER NOT NULL DEFAULT 3600000
  )`,
  `CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY,
    queue_name TEXT NOT NULL REFERENCES queues(name),
    payload BLOB NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempt INTEGER NOT NULL DEFAULT 0,
    max_retries INTEGER NOT NULL,
    next_run_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    message TEXT NOT NULL DEFAULT ''
  )`,
  `CREATE INDEX IF NOT EXISTS idx_tasks_dequeue ON tasks(queue_name, status, next_run_at)`,
];

/**
 * The per-plugin task database, `<DataFolder>/plugins/<id>/taskqueue.db`. WAL with
 * `synchronous=NORMAL`: every statement commits on its own, and a committed change
 * survives the process being killed (a power loss may drop the last few).
 */
export class TaskStore {
  private readonly db: Database.Database;
  private readonly stmts;
  private closed = false;

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = OFF");
    this.migrate();
    const db = this.db;
    this.stmts = {
      upsertQueue: db.prepare(`INSERT INTO queues (name, concurrency, max_retries, backoff_ms, delay_ms, retention_ms) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(name) DO UPDATE SET concurrency = excluded.concurrency, max_retries = excluded.max_retries,
          backoff_ms = excluded.backoff_ms, delay_ms = excluded.delay_ms, retention_ms = excluded.retention_ms`),
      resetRunning: db.prepare(`UPDATE tasks SET status = 'pending', updated_at = ? WHERE queue_name = ? AND status = 'running'`),
      resetAllRunning: db.prepare(`UPDATE tasks SET status = 'pending', updated_at = ? WHERE status = 'running'`),
      insert: db.prepare(`INSERT INTO tasks (id, queue_name, payload, status, attempt, max_retries, next_run_at, created_at, updated_at)
        VALUES (?, ?, ?, 'pending', 0, ?, ?, ?, ?)`),
      get: db.prepare(`SELECT status, message, attempt FROM tasks WHERE id = ?`),
      cancel: db.prepare(`UPDATE tasks SET status = 'cancelled', updated_at = ? WHERE id = ? AND status = 'pending'`),
      status: db.prepare(`SELECT status FROM tasks WHERE id = ?`),
      clear: db.prepare(`UPDATE tasks SET status = 'cancelled', updated_at = ? WHERE queue_name = ? AND status = 'pending'`),
      dequeue: db.prepare(`UPDATE tasks SET status = 'running', attempt = attempt + 1, updated_at = ?
        WHERE id = (SELECT id FROM tasks WHERE queue_name = ? AND status = 'pending' AND next_run_at <= ? ORDER BY next_run_at, created_at LIMIT 1)
        RETURNING id, payload, attempt, max_retries`),
      nextRunAt: db.prepare(`SELECT MIN(next_run_at) AS t FROM tasks WHERE queue_name = ? AND status = 'pending'`),
      finish: db.prepare(`UPDATE tasks SET status = ?, message = ?, updated_at = ? WHERE id = ?`),
      retry: db.prepare(`UPDATE tasks SET status = 'pending', next_run_at = ?, updated_at = ? WHERE id = ?`),
      revert: db.prepare(`UPDATE tasks SET status = 'pending', attempt = MAX(attempt - 1, 0), updated_at = ? WHERE id = ? AND status = 'running'`),
      cleanup: db.prepare(`DELETE FROM tasks WHERE queue_name = ? AND status IN ('completed', 'failed', 'cancelled') AND updated_at + ? < ?`),
      counts: db.prepare(`SELECT queue_name AS queue, status, COUNT(*) AS n FROM tasks GROUP BY queue_name, status`),
      failures: db.prepare(`SELECT id, queue_name AS queue, attempt, message, updated_at AS at FROM tasks WHERE status = 'failed' ORDER BY updated_at DESC LIMIT ?`),
    };
  }

  private migrate(): void {
    const version = this.db.pragma("user_version", { simple: true }) as number;
    for (let i = version; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[i]);
        this.db.pragma(`user_version = ${i + 1}`);
      })();
    }
  }

  /** Upserts the queue row and flips its `running` tasks back to `pending` (crash recovery). */
  attachQueue(name: string, c: QueueConfig, now: number): void {
    this.db.transaction(() => {
      this.stmts.upsertQueue.run(name, c.concurrency, c.maxRetries, c.backoffMs, c.delayMs, c.retentionMs);
      this.stmts.resetRunning.run(now, name);
    })();
  }

  insert(id: string, queue: string, payload: Uint8Array, maxRetries: number, now: number): void {
    this.stmts.insert.run(id, queue, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), maxRetries, now, now, now);
  }

  get(id: string): TaskInfo | undefined {
    return this.stmts.get.get(id) as TaskInfo | undefined;
  }

  /** Cancels a pending task: "ok", or the task's status when it cannot be, or undefined when unknown. */
  cancel(id: string, now: number): "ok" | string | undefined {
    if (this.stmts.cancel.run(now, id).changes > 0) return "ok";
    return (this.stmts.status.get(id) as { status: string } | undefined)?.status;
  }

  clear(queue: string, now: number): number {
    return this.stmts.clear.run(now, queue).changes;
  }

  /** The oldest due pending task of the queue, marked running; undefined when none is due. */
  dequeue(queue: string, now: number): DequeuedTask | undefined {
    const row = this.stmts.dequeue.get(now, queue, now) as { id: string; payload: Buffer; attempt: number; max_retries: number } | undefined;
    if (!row) return undefined;
    return { id: row.id, payload: new Uint8Array(row.payload), attempt: row.attempt, maxRetries: row.max_retries };
  }

  /** When the queue's earliest pending task falls due; undefined when none is pending. */
  nextRunAt(queue: string): number | undefined {
    return (this.stmts.nextRunAt.get(queue) as { t: number | null }).t ?? undefined;
  }

  finish(id: string, status: "completed" | "failed", message: string, now: number): void {
    this.stmts.finish.run(status, message, now, id);
  }

  retry(id: string, nextRunAt: number, now: number): void {
    this.stmts.retry.run(nextRunAt, now, id);
  }

  /** An attempt interrupted by unload does not count. */
  revert(id: string, now: number): void {
    if (!this.closed) this.stmts.revert.run(now, id);
  }

  cleanup(queue: string, retentionMs: number, now: number): number {
    return this.stmts.cleanup.run(queue, retentionMs, now).changes;
  }

  counts(): QueueCounts[] {
    const byQueue = new Map<string, Record<TaskStatus, number>>();
    for (const row of this.stmts.counts.all() as { queue: string; status: TaskStatus; n: number }[]) {
      let c = byQueue.get(row.queue);
      if (!c) byQueue.set(row.queue, (c = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 }));
      c[row.status] = row.n;
    }
    return [...byQueue.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([queue, counts]) => ({ queue, counts }));
  }

  recentFailures(limit: number): TaskFailure[] {
    return (this.stmts.failures.all(limit) as (Omit<TaskFailure, "at"> & { at: number })[]).map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  }

  /** Leaves every remaining `running` row `pending`, then closes the file. */
  close(now: number): void {
    if (this.closed) return;
    this.stmts.resetAllRunning.run(now);
    this.closed = true;
    this.db.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
