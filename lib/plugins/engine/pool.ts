import { availableParallelism } from "node:os";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import * as P from "./protocol.mjs";

/** One engine worker and its end of the shared-memory channel. */
export class WorkerSlot {
  readonly i32: Int32Array;
  private readonly toWorker: Uint8Array;
  private readonly toMain: Uint8Array;
  private readonly ctrl: MessagePort;
  private readonly bulk: MessagePort;
  private seenSeq = 0;
  readonly loaded = new Set<number>();
  readonly ready: Promise<void>;
  dead = false;
  /** Why the worker was stopped (timeout, abort, crash); read by the call that owned it. */
  deathReason: Error | null = null;

  constructor(
    readonly worker: Worker,
    sab: SharedArrayBuffer,
    ctrl: MessagePort,
    bulk: MessagePort,
    onLog: (key: number, level: string, message: string) => void,
    onExit: (slot: WorkerSlot) => void,
  ) {
    this.i32 = new Int32Array(sab, 0, P.HEADER_WORDS);
    this.toWorker = new Uint8Array(sab, P.TO_WORKER_OFFSET, P.AREA_BYTES);
    this.toMain = new Uint8Array(sab, P.TO_MAIN_OFFSET, P.AREA_BYTES);
    this.ctrl = ctrl;
    this.bulk = bulk;
    this.ready = new Promise((resolve, reject) => {
      worker.on("message", (m: { t: string; key: number; level: string; message: string }) => {
        if (m.t === "ready") resolve();
        else if (m.t === "log") {
          onLog(m.key, m.level, m.message);
          this.logsReceived++;
          if (this.logsDrained && this.logsReceived >= Atomics.load(this.i32, P.LOG_COUNT)) {
            this.logsDrained();
            this.logsDrained = null;
          }
        }
      });
      worker.once("error", (err) => {
        reject(err);
        this.markDead(new Error(`engine worker failed: ${err.message}`));
        onExit(this);
      });
      worker.once("exit", () => {
        reject(new Error("engine worker exited"));
        this.markDead(new Error("engine worker exited"));
        onExit(this);
      });
    });
    // Booting keeps Node alive (someone awaits it); afterwards only calls in progress do.
    this.ready.then(() => worker.unref()).catch(() => {});
  }

  private logsReceived = 0;
  private logsDrained: (() => void) | null = null;

  /**
   * Log lines travel on the worker's message port, asynchronously, so that a plugin
   * stuck in a loop still shows what it logged. A call waits here until the lines its
   * plugin logged have arrived, so they are recorded before its result.
   */
  async drainLogs(): Promise<void> {
    if (this.dead || this.logsReceived >= Atomics.load(this.i32, P.LOG_COUNT)) return;
    this.worker.ref();
    try {
      await new Promise<void>((resolve) => {
        this.logsDrained = resolve;
      });
    } finally {
      this.worker.unref();
    }
  }

  /** Sends one message; a payload larger than the shared area travels on the port. */
  post(type: number, a0: number, a1: number, payload: Uint8Array | null): void {
    const i32 = this.i32;
    if (payload === null) i32[P.W_LEN] = 0;
    else if (payload.length <= P.AREA_BYTES) {
      this.toWorker.set(payload, 0);
      i32[P.W_LEN] = payload.length;
    } else {
      this.ctrl.postMessage(payload);
      i32[P.W_LEN] = -1;
    }
    i32[P.W_TYPE] = type;
    i32[P.W_ARG0] = a0;
    i32[P.W_ARG1] = a1;
    Atomics.add(i32, P.W_SEQ, 1);
    Atomics.notify(i32, P.W_SEQ);
  }

  /** Sends a structured control message (load/unload) on the port. */
  postControl(message: unknown): void {
    this.ctrl.postMessage(message);
    this.post(P.MSG_CONTROL, 0, 0, null);
  }

  /**
   * Waits for the worker's next message: spins for up to `spinMicros` (cheap when the
   * answer is near), then yields to the event loop with Atomics.waitAsync. Resolves
   * true when the answer came without sleeping.
   */
  /**
   * Spins for up to `spinMicros` waiting for the worker's next message, without yielding.
   * True when it arrived (it is then consumed as `next` would).
   */
  spinFor(spinMicros: number): boolean {
    const i32 = this.i32;
    const last = this.seenSeq;
    if (Atomics.load(i32, P.M_SEQ) === last) {
      const end = performance.now() + spinMicros / 1000;
      let n = 0;
      while (Atomics.load(i32, P.M_SEQ) === last) {
        if ((++n & 63) === 0 && performance.now() > end) return false;
      }
    }
    this.seenSeq = Atomics.load(i32, P.M_SEQ);
    if (this.dead) throw this.deathReason ?? new Error("engine worker stopped");
    return true;
  }

  async next(spinMicros: number): Promise<boolean> {
    const i32 = this.i32;
    const last = this.seenSeq;
    let slept = false;
    if (spinMicros > 0 && Atomics.load(i32, P.M_SEQ) === last) {
      const end = performance.now() + spinMicros / 1000;
      let n = 0;
      while (Atomics.load(i32, P.M_SEQ) === last) {
        if ((++n & 63) === 0 && performance.now() > end) break;
      }
    }
    if (Atomics.load(i32, P.M_SEQ) === last && !this.dead) {
      slept = true;
      // Atomics.waitAsync does not keep Node alive; the worker handle does while we wait on it.
      this.worker.ref();
      try {
        while (Atomics.load(i32, P.M_SEQ) === last && !this.dead) {
          const r = Atomics.waitAsync(i32, P.M_SEQ, last);
          if (r.async) await r.value;
        }
      } finally {
        this.worker.unref();
      }
    }
    this.seenSeq = Atomics.load(i32, P.M_SEQ);
    if (this.dead) throw this.deathReason ?? new Error("engine worker stopped");
    return !slept;
  }

  readPayload(): Uint8Array {
    const len = this.i32[P.M_LEN];
    if (len >= 0) return this.toMain.slice(0, len);
    const msg = receiveMessageOnPort(this.bulk);
    if (!msg) throw new Error("engine channel: payload missing from the port");
    return msg.message as Uint8Array;
  }

  private markDead(reason: Error): void {
    if (this.dead) return;
    this.dead = true;
    this.deathReason ??= reason;
    this.logsDrained?.();
    this.logsDrained = null;
    // Wake whoever awaits this channel so it sees the death instead of hanging forever.
    Atomics.add(this.i32, P.M_SEQ, 1);
    Atomics.notify(this.i32, P.M_SEQ);
  }

  /** Stops the worker at once, even inside an endless wasm loop. */
  kill(reason: Error): void {
    this.deathReason ??= reason;
    this.markDead(reason);
    void this.worker.terminate();
    this.ctrl.close();
    this.bulk.close();
  }
}

const KEEP_WARM = 2;
const IDLE_RETIRE_MS = 30_000;
const IDLE_CHECK_MS = 10_000;

export interface PoolOptions {
  workerPath: string;
  /** Engine-wide counters shared with every worker (calls in flight, for the spin policy). */
  engineState: SharedArrayBuffer;
  maxWorkers: number;
  /** Spin budget of the worker while it waits (µs). */
  workerSpinMicros: number;
  onLog: (key: number, level: string, message: string) => void;
}

/**
 * The engine's workers. Calls take an idle worker (preferring one that already holds
 * the module), else a new one up to the maximum, else wait in line. One spare worker is
 * kept started so that a worker killed for a timeout is replaced without the ~20 ms a
 * new thread takes to boot.
 */
export class WorkerPool {
  private readonly slots = new Set<WorkerSlot>();
  private readonly idle: WorkerSlot[] = [];
  private readonly waiters: { key: number; resolve: (s: WorkerSlot) => void; reject: (e: Error) => void }[] = [];
  private spare: WorkerSlot | null = null;
  private closed = false;
  readonly maxWorkers: number;

  constructor(private readonly opts: PoolOptions) {
    // Workers blocked in a slow host call (HTTP, a nested plugin call) use no CPU, so the
    // ceiling is well above the core count; idle extra workers are retired again.
    this.maxWorkers = opts.maxWorkers > 0 ? opts.maxWorkers : Math.max(16, availableParallelism() * 4);
    this.reaper = setInterval(() => this.retireIdle(), IDLE_CHECK_MS);
    this.reaper.unref();
  }

  private readonly reaper: NodeJS.Timeout;
  private readonly idleSince = new WeakMap<WorkerSlot, number>();

  /** Stops workers idle for a while, keeping a few warm. */
  private retireIdle(): void {
    const now = Date.now();
    for (const slot of [...this.idle]) {
      if (this.slots.size <= KEEP_WARM) break;
      if (now - (this.idleSince.get(slot) ?? now) < IDLE_RETIRE_MS) continue;
      this.idle.splice(this.idle.indexOf(slot), 1);
      this.slots.delete(slot);
      void slot.worker.terminate();
    }
  }

  get size(): number {
    return this.slots.size;
  }

  private spawn(): WorkerSlot {
    const sab = new SharedArrayBuffer(P.SAB_BYTES);
    const ctrl = new MessageChannel();
    const bulk = new MessageChannel();
    const worker = new Worker(this.opts.workerPath, {
      workerData: {
        sab,
        ctrlPort: ctrl.port2,
        bulkPort: bulk.port2,
        spinMicros: this.opts.workerSpinMicros,
        wasiOutput: Boolean(process.env.EXTISM_ENABLE_WASI_OUTPUT),
        engineState: this.opts.engineState,
        cpus: availableParallelism(),
      },
      transferList: [ctrl.port2, bulk.port2],
      stdout: false,
      stderr: false,
    });
    return new WorkerSlot(worker, sab, ctrl.port1, bulk.port1, this.opts.onLog, (s) => this.forget(s));
  }

  private takeSpareOrSpawn(): WorkerSlot {
    const s = this.spare ?? this.spawn();
    this.spare = null;
    this.slots.add(s);
    this.keepSpare();
    return s;
  }

  private keepSpare(): void {
    if (!this.closed && !this.spare) this.spare = this.spawn();
  }

  /** An idle worker, preferably one holding module `key`, without waiting (null if none). */
  tryAcquire(key: number): WorkerSlot | null {
    if (this.closed || this.idle.length === 0) return null;
    const last = this.idle.length - 1;
    if (this.idle[last].loaded.has(key)) return this.idle.pop()!;
    let i = this.idle.findIndex((s) => s.loaded.has(key));
    if (i < 0) i = last;
    return this.idle.splice(i, 1)[0];
  }

  /** A worker for a call of module `key`, waiting for one if all are busy. */
  async acquire(key: number): Promise<WorkerSlot> {
    if (this.closed) throw new Error("engine is closed");
    const idle = this.tryAcquire(key);
    if (idle) return idle;
    if (this.slots.size < this.maxWorkers) {
      const s = this.takeSpareOrSpawn();
      await s.ready;
      return s;
    }
    return new Promise((resolve, reject) => this.waiters.push({ key, resolve, reject }));
  }

  release(slot: WorkerSlot): void {
    if (slot.dead || this.closed) return;
    const w = this.waiters.findIndex((x) => slot.loaded.has(x.key));
    const waiter = w >= 0 ? this.waiters.splice(w, 1)[0] : this.waiters.shift();
    if (waiter) waiter.resolve(slot);
    else {
      this.idleSince.set(slot, Date.now());
      this.idle.push(slot);
    }
  }

  /** Stops a worker (timeout or cancellation); the spare takes its place for the next caller. */
  kill(slot: WorkerSlot, reason: Error): void {
    slot.kill(reason);
    this.forget(slot);
  }

  private forget(slot: WorkerSlot): void {
    if (this.spare === slot) {
      this.spare = null;
      return;
    }
    if (!this.slots.delete(slot)) return;
    const i = this.idle.indexOf(slot);
    if (i >= 0) this.idle.splice(i, 1);
    if (this.closed) return;
    this.keepSpare();
    // A waiter may now get a fresh worker.
    const waiter = this.waiters.shift();
    if (waiter) {
      const s = this.takeSpareOrSpawn();
      s.ready.then(
        () => waiter.resolve(s),
        (e) => waiter.reject(e),
      );
    }
  }

  /** Idle workers that hold `key`, for unloading it. */
  idleHolding(key: number): WorkerSlot[] {
    return this.idle.filter((s) => s.loaded.has(key));
  }

  /** Removes an idle worker from the idle list for exclusive use (returns false if busy). */
  claimIdle(slot: WorkerSlot): boolean {
    const i = this.idle.indexOf(slot);
    if (i < 0) return false;
    this.idle.splice(i, 1);
    return true;
  }

  /** Starts one worker ahead of need (so the first load does not pay for booting a thread). */
  warm(): void {
    this.keepSpare();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.reaper);
    for (const w of this.waiters.splice(0)) w.reject(new Error("engine is closed"));
    const all = [...this.slots, ...(this.spare ? [this.spare] : [])];
    this.slots.clear();
    this.idle.length = 0;
    this.spare = null;
    await Promise.all(all.map((s) => s.worker.terminate().catch(() => 0)));
  }
}
