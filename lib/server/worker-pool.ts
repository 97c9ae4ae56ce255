import { Worker, type TransferListItem } from "node:worker_threads";

/**
 * Why a job ended without a reply, handed to `WorkerPoolHooks.failure` to become the
 * error the caller sees. `closed` jobs were `running` in a worker or still queued.
 */
export type WorkerPoolFailure =
  | { kind: "busy" }
  | { kind: "timeout" }
  | { kind: "notStarted" }
  | { kind: "error"; error: Error & { code?: string } }
  | { kind: "exit" }
  | { kind: "closed"; running: boolean };

export interface WorkerPoolOptions {
  /** The worker module, an absolute path (each user resolves its own, see image-pool.ts). */
  workerPath: string;
  /** Passed to every worker as `workerData`. */
  workerData?: unknown;
  /** Workers run in parallel. */
  workers: number;
  /** A job still running after this long has its worker terminated. */
  timeoutMs: number;
  /** Jobs waiting for a worker beyond this many are refused at once (`busy`). */
  maxQueue: number;
  /** V8 old-generation heap of each worker. */
  maxHeapMb: number;
  /** An idle worker is stopped after this long, returning its memory. */
  idleMs: number;
  /**
   * The worker posts `{ ready: true }` once loaded, and a job's time budget runs from
   * then (not from when it was posted): a slow first load is not the job's fault.
   */
  startBudgetOnReady?: boolean;
  /** With `startBudgetOnReady`: a worker not ready after this long is broken (default 10 s). */
  startupTimeoutMs?: number;
}

/** What each user of the pool decides: the message a job becomes, and what a reply or failure becomes. */
export interface WorkerPoolHooks<Req, Res, Reply> {
  /** The fields posted for a job (the pool adds `id`), with what to transfer; by default the request itself. */
  encode?(req: Req): { payload: object; transfer?: readonly TransferListItem[] };
  /** A worker's reply to a job: its result, or the error the job fails with. */
  reply(reply: Reply): { value: Res } | { error: Error };
  /** The error a job fails with when it got no reply. */
  failure(failure: WorkerPoolFailure): Error;
}

interface Job<Req, Res> {
  id: number;
  req: Req;
  resolve: (value: Res) => void;
  reject: (err: Error) => void;
}

interface Slot<Req, Res> {
  worker: Worker;
  job: Job<Req, Res> | null;
  /** The job's budget (or the startup deadline), or the idle retirement. */
  timer?: NodeJS.Timeout;
  ready: boolean;
  dead: boolean;
}

/**
 * Worker threads that run jobs so a slow or hostile input costs a worker's time and
 * memory, never the main thread's: jobs wait in a bounded queue, each runs under a time
 * budget and a heap limit, and a worker that dies (crash, out of memory, timeout) is
 * terminated and replaced for the next job while its job fails with a reason. Idle
 * workers do not keep the process alive and retire after `idleMs`.
 *
 * Messages are `{ id, ...payload }` to the worker and `{ id, ... }` back (plus a
 * `{ ready: true }` first with `startBudgetOnReady`).
 */
export class BoundedWorkerPool<Req extends object, Res, Reply extends { id?: number } = { id?: number }> {
  private readonly slots: Slot<Req, Res>[] = [];
  private readonly queue: Job<Req, Res>[] = [];
  private nextId = 1;
  /** Counters for logs and tests: jobs given to a worker, refused as busy, timed out, failed by a dying worker. */
  readonly stats = { started: 0, busy: 0, timedOut: 0, crashed: 0, workersStarted: 0 };

  constructor(
    private readonly opts: WorkerPoolOptions,
    private readonly hooks: WorkerPoolHooks<Req, Res, Reply>,
  ) {}

  /** Workers alive now (busy or idle). */
  get workers(): number {
    return this.slots.length;
  }

  /** The job's result, once a worker is free to run it; refused at once when the queue is full. */
  run(req: Req): Promise<Res> {
    if (this.queue.length >= this.opts.maxQueue) {
      this.stats.busy++;
      return Promise.reject(this.hooks.failure({ kind: "busy" }));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, req, resolve, reject });
      this.pump();
    });
  }

  /** Fails every job and stops every worker (tests and shutdown). */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(this.hooks.failure({ kind: "closed", running: false }));
    await Promise.all([...this.slots].map((s) => this.kill(s, { kind: "closed", running: true })));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot) {
        if (this.slots.length >= this.opts.workers) return;
        slot = this.spawn();
      }
      this.start(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot<Req, Res> {
    const worker = new Worker(this.opts.workerPath, {
      workerData: this.opts.workerData,
      resourceLimits: { maxOldGenerationSizeMb: this.opts.maxHeapMb },
      stdout: false,
      stderr: false,
    });
    const slot: Slot<Req, Res> = { worker, job: null, ready: !this.opts.startBudgetOnReady, dead: false };
    this.slots.push(slot);
    this.stats.workersStarted++;
    worker.on("message", (m: Reply & { ready?: true }) => {
      if (m.ready && !slot.ready) {
        slot.ready = true;
        if (slot.job) this.startBudget(slot);
        return;
      }
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      this.release(slot);
      const outcome = this.hooks.reply(m);
      if ("value" in outcome) job.resolve(outcome.value);
      else job.reject(outcome.error);
      this.pump();
    });
    // `error` (an uncaught exception, ERR_WORKER_OUT_OF_MEMORY) is always followed by `exit`.
    worker.on("error", (error) => void this.kill(slot, { kind: "error", error }));
    worker.on("exit", () => void this.kill(slot, { kind: "exit" }));
    return slot;
  }

  private start(slot: Slot<Req, Res>, job: Job<Req, Res>): void {
    clearTimeout(slot.timer);
    slot.job = job;
    this.stats.started++;
    slot.worker.ref();
    if (slot.ready) this.startBudget(slot);
    else slot.timer = setTimeout(() => void this.kill(slot, { kind: "notStarted" }), this.opts.startupTimeoutMs ?? 10_000);
    const { payload, transfer } = this.hooks.encode?.(job.req) ?? { payload: job.req };
    slot.worker.postMessage({ ...payload, id: job.id }, transfer);
  }

  private startBudget(slot: Slot<Req, Res>): void {
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      this.stats.timedOut++;
      void this.kill(slot, { kind: "timeout" });
    }, this.opts.timeoutMs);
  }

  /** The slot's job is over: the worker may idle (not keeping the process alive) until retired. */
  private release(slot: Slot<Req, Res>): void {
    clearTimeout(slot.timer);
    slot.job = null;
    slot.worker.unref();
    slot.timer = setTimeout(() => void this.kill(slot, null), this.opts.idleMs);
    slot.timer.unref();
  }

  /** Stops a worker (if still running) and fails its job; the next job spawns a replacement. */
  private kill(slot: Slot<Req, Res>, why: WorkerPoolFailure | null): Promise<unknown> {
    if (slot.dead) return Promise.resolve();
    slot.dead = true;
    clearTimeout(slot.timer);
    this.slots.splice(this.slots.indexOf(slot), 1);
    const job = slot.job;
    slot.job = null;
    if (job && why) {
      if (why.kind === "error" || why.kind === "exit") this.stats.crashed++;
      job.reject(this.hooks.failure(why));
    }
    const stopped = slot.worker.terminate();
    this.pump();
    return stopped;
  }
}
