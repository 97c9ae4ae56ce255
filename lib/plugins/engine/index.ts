/**
 * The plugin engine: compiles plugin modules once, runs every call in a worker thread
 * with Navidrome's per-call semantics, and serves host functions on the main thread.
 *
 *   main thread                              worker (one of a small pool)
 *   ───────────                              ────────────────────────────
 *   call(name, input) ── SAB: CALL ────────▶ restore/instantiate, run export
 *   host fn (may await) ◀─ SAB: HOST_CALL ── plugin imports extism:host/user
 *                       ── SAB: HOST_RETURN ▶
 *   RawCallResult      ◀── SAB: RESULT ───── {code, output, error_set message}
 *   timeout/abort: worker.terminate(); a pre-started spare takes its place
 *
 * See docs/engine.md for the design and docs/perf.md for the measurements.
 */
import path from "node:path";
import { Kernel } from "./kernel.mjs";
import { CompileCache } from "./compile-cache";
import { builtinHttpRequest } from "./http";
import { WorkerPool, type WorkerSlot } from "./pool";
import * as P from "./protocol.mjs";
import { rewriteModule, WasmFormatError, type RewriteResult } from "./rewrite";
import { WASI_FUNCTIONS } from "./wasi.mjs";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";

/** What a host function learns about the call it serves. */
export interface HostCallContext {
  /** The plugin (module name given at load). */
  plugin: string;
  /** Aborted when the plugin call times out or its caller gives up. */
  signal: AbortSignal;
}

/** A host function of `extism:host/user`: request bytes in, response bytes out. */
export type HostFunction = (input: Uint8Array, ctx: HostCallContext) => Uint8Array | Promise<Uint8Array>;

/** What the engine reports for one call, before Navidrome's rules are applied. */
export interface RawCallResult {
  /** The export's i32 return value, signed. */
  code: number;
  output: Uint8Array;
  /** Message set with Extism's `error_set`, or null. */
  error: string | null;
}

export interface LoadOptions {
  name: string;
  hostFunctions: Record<string, HostFunction>;
  /** The Extism config map (contract §2.9). */
  config: Record<string, string>;
  /** Glob patterns for the built-in `http_request`; empty denies everything. */
  allowedHosts: readonly string[];
  logLevel: LogLevel;
  onLog?: (level: LogLevel, message: string) => void;
  /** Per-call limit; 0 disables it. */
  timeoutMs: number;
  /** Cap on the plugin's linear memory and on its Extism memory; 0 leaves the module's own maximum. */
  memoryLimitBytes: number;
  /** Identifies the wasm bytes (e.g. the package's sha256) so the compiled module can be reused. */
  cacheKey?: string;
  /**
   * Host directories preopened in the plugin's WASI filesystem, in this order (fd 3, 4, …):
   * library folders at `/libraries/<id>`, plugin storage at `/storage` (contract §2.8).
   * Every path is jailed to its mount; none means no filesystem at all.
   */
  mounts?: readonly WasiMount[];
}

/** One preopened directory of a plugin's WASI filesystem. */
export interface WasiMount {
  /** Where the plugin sees it, e.g. `/libraries/1`. */
  guestPath: string;
  /** The host directory (absolute). */
  hostPath: string;
  /** Refuses every write (EROFS). */
  readOnly: boolean;
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface EngineModule {
  readonly name: string;
  /** Exported function names. */
  readonly exports: readonly string[];
  /** The `extism:host/user` functions it imports (all resolved, or the load would have failed). */
  readonly hostImports: readonly string[];
  /** How per-call freshness is achieved: restoring a snapshot, or a new instance per call. */
  readonly mode: "snapshot" | "fresh";
  hasExport(name: string): boolean;
  call(name: string, input: Uint8Array, opts?: CallOptions): Promise<RawCallResult>;
  close(): Promise<void>;
}

/** The module could not be compiled or instantiated. */
export class EngineLoadError extends Error {
  name = "EngineLoadError";
}
/**
 * The module imports functions the host does not give it; `imports` lists every one (in
 * import order) so the loader can say why each is missing (lib/plugins/compat/classify.ts).
 */
export class UnresolvedImportsError extends EngineLoadError {
  name = "UnresolvedImportsError";
  constructor(readonly imports: { module: string; name: string }[]) {
    super(imports.map((i) => `"${i.name}" is not exported in module "${i.module}"`).join("; "));
  }
}
/** The call ran past its time limit and was stopped (wazero's wording, as Navidrome reports it). */
export class EngineTimeoutError extends Error {
  name = "EngineTimeoutError";
  constructor() {
    super("module closed with context deadline exceeded");
  }
}
/** The caller abandoned the call (contract §2.3: no metric, `context canceled`). */
export class EngineAbortError extends Error {
  name = "EngineAbortError";
  constructor() {
    super("context canceled");
  }
}
/** The plugin trapped (unreachable, out of bounds, stack overflow, a failing host function…). */
export class EngineTrapError extends Error {
  name = "EngineTrapError";
}

export interface EngineOptions {
  /** Maximum worker threads (0: four per CPU, at least 16; idle extras are retired after 30 s). */
  workers?: number;
  /** Main-thread spin budget while one call is in flight, µs (0 disables spinning). */
  spinMicros?: number;
  /** Worker spin budget while waiting, µs. */
  workerSpinMicros?: number;
  /** Size limit of the compiled-module cache in bytes (0 disables it). */
  compileCacheBytes?: number;
}

const KERNEL_FUNCTIONS = new Set(
  Object.keys(new Kernel({ config: {}, logLevel: 2, limitBytes: 0, onLog: () => {}, http: () => ({ status: 0, headers: new Uint8Array(), body: new Uint8Array() }) }).imports()),
);
const LEVELS: LogLevel[] = ["trace", "debug", "info", "warn", "error"];
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/** Checks every import against what this plugin is granted, with a message an author can act on. */
function checkImports(module: WebAssembly.Module, hostFunctions: Record<string, HostFunction>): string[] {
  const hostNames: string[] = [];
  const missing: { module: string; name: string }[] = [];
  for (const imp of WebAssembly.Module.imports(module)) {
    const known =
      imp.kind === "function" &&
      ((imp.module === "extism:host/env" && KERNEL_FUNCTIONS.has(imp.name)) ||
        (imp.module === "wasi_snapshot_preview1" && WASI_FUNCTIONS.has(imp.name)) ||
        (imp.module === "extism:host/user" && Object.hasOwn(hostFunctions, imp.name)));
    // All of them, not the first: an author fixing one at a time would reload once per import.
    if (!known) {
      if (!missing.some((m) => m.module === imp.module && m.name === imp.name)) missing.push({ module: imp.module, name: imp.name });
      continue;
    }
    if (imp.module === "extism:host/user" && !hostNames.includes(imp.name)) hostNames.push(imp.name);
  }
  if (missing.length) throw new UnresolvedImportsError(missing);
  return hostNames;
}

/** The rewritten module, or an `EngineLoadError` saying why the bytes are not a usable plugin. */
function rewrite(wasm: Uint8Array, memoryLimitBytes: number): RewriteResult {
  try {
    return rewriteModule(wasm, memoryLimitBytes);
  } catch (err) {
    throw new EngineLoadError(err instanceof WasmFormatError ? err.message : `invalid module: ${(err as Error).message}`);
  }
}

/** The module's function exports in export order: a call names its export by this index. */
function functionExports(module: WebAssembly.Module): string[] {
  return WebAssembly.Module.exports(module)
    .filter((e) => e.kind === "function")
    .map((e) => e.name);
}

/**
 * Whether workers may snapshot the initialised instance and restore it before each call;
 * otherwise every call gets a new instance. The worker has the last word (it reports the
 * mode it chose), but never snapshots a module whose rewrite found a blocker.
 */
const snapshotAllowed = (rewritten: RewriteResult): boolean => rewritten.snapshotBlockers.length === 0;

/** What a worker needs to instantiate the module: the `load` control message. */
function loadMessageFor(key: number, module: WebAssembly.Module, rewritten: RewriteResult, exportNames: string[], hostNames: string[], opts: LoadOptions) {
  const level = LEVELS.indexOf(opts.logLevel);
  return {
    op: "load",
    key,
    module,
    exportNames,
    hostNames,
    memoryExport: rewritten.memoryExport,
    mutableGlobals: rewritten.mutableGlobals,
    snapshotAllowed: snapshotAllowed(rewritten),
    config: opts.config,
    mounts: (opts.mounts ?? []).map((m) => ({ guestPath: m.guestPath, hostPath: path.resolve(m.hostPath), readOnly: m.readOnly })),
    logLevel: level < 0 ? 2 : level,
    limitBytes: opts.memoryLimitBytes,
  };
}

let nextKey = 1;

/**
 * One loaded plugin module: serves its calls on pool workers (instantiating it in a
 * worker that does not hold it yet) and the host calls they make. The public members
 * are arrow properties so they keep working when detached from the object.
 */
class LoadedModule implements EngineModule {
  readonly name: string;
  private chosenMode: "snapshot" | "fresh" = "fresh";
  private closed = false;
  private readonly exportIndex: Map<string, number>;
  private readonly hostFns: HostFunction[];
  get hostImports(): readonly string[] {
    return this.hostNames;
  }

  constructor(
    private readonly engine: Engine,
    private readonly key: number,
    readonly exports: readonly string[],
    private readonly hostNames: readonly string[],
    private readonly loadMessage: ReturnType<typeof loadMessageFor>,
    private readonly opts: LoadOptions,
  ) {
    this.name = opts.name;
    this.exportIndex = new Map(exports.map((n, i) => [n, i]));
    this.hostFns = hostNames.map((n) => opts.hostFunctions[n]);
  }

  get mode(): "snapshot" | "fresh" {
    return this.chosenMode;
  }

  hasExport = (name: string): boolean => this.exportIndex.has(name);

  call = async (name: string, input: Uint8Array, callOpts: CallOptions = {}): Promise<RawCallResult> => {
    const { engine, key } = this;
    if (this.closed) throw new EngineTrapError("plugin is unloaded");
    const index = this.exportIndex.get(name);
    if (index === undefined) throw new EngineTrapError(`function not found: ${name}`);
    const signal = callOpts.signal;
    if (signal?.aborted) throw new EngineAbortError();
    const timeoutMs = callOpts.timeoutMs ?? this.opts.timeoutMs;
    const slot = await engine.acquireForCall(key);
    let timer: NodeJS.Timeout | undefined;
    let controller: AbortController | null = null;
    const getController = () => (controller ??= new AbortController());
    const stop = (reason: Error) => {
      controller?.abort(reason);
      engine.pool.kill(slot, reason);
    };
    const onAbort = () => stop(new EngineAbortError());
    try {
      if (!slot.loaded.has(key)) await this.instantiateIn(slot);
      if (timeoutMs > 0) timer = setTimeout(() => stop(new EngineTimeoutError()), timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      const type = await this.exchange(slot, () => slot.post(P.MSG_CALL, key, index, input), getController);
      return callResult(slot, type);
    } finally {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      engine.releaseAfterCall(slot);
    }
  };

  close = async (): Promise<void> => {
    if (this.closed) return;
    this.closed = true;
    await this.engine.retire(this.key);
  };

  /** Instantiates once now, so load errors surface at load time (as Navidrome's export probe does). */
  async initialise(): Promise<void> {
    const slot = await this.engine.pool.acquire(this.key);
    try {
      await this.instantiateIn(slot);
    } catch (err) {
      this.engine.dropLogSink(this.key);
      if (slot.dead) throw err instanceof EngineLoadError ? err : new EngineLoadError((err as Error).message);
      throw err;
    } finally {
      this.engine.pool.release(slot);
    }
  }

  /** Has `slot`'s worker instantiate the module (running its initialisation, host calls included) and learns the mode it chose. */
  private async instantiateIn(slot: WorkerSlot): Promise<void> {
    const type = await this.exchange(slot, () => slot.postControl(this.loadMessage), () => new AbortController());
    const payload = slot.readPayload();
    if (type !== P.MSG_CONTROL_DONE) throw new EngineLoadError(decoder.decode(payload));
    const reply = JSON.parse(decoder.decode(payload)) as { ok: boolean; error?: string; mode?: "snapshot" | "fresh" };
    if (!reply.ok) throw new EngineLoadError(reply.error ?? "instantiation failed");
    this.chosenMode = reply.mode ?? "fresh";
    slot.loaded.add(this.key);
  }

  /** Sends one message and serves host calls until the worker's final answer. */
  private async exchange(slot: WorkerSlot, send: () => void, controller: () => AbortController): Promise<number> {
    const { engine } = this;
    send();
    for (;;) {
      const spin = engine.spinBudget();
      // Spin without a promise first; only a miss awaits the event loop.
      const hit = spin > 0 && slot.spinFor(spin);
      if (!hit) await slot.next(0);
      engine.recordSpin(spin, hit);
      const type = slot.i32[P.M_TYPE];
      if (type === P.MSG_HOST_CALL) {
        const pending = this.serveHostCall(slot, controller);
        if (pending) await pending;
      } else {
        await slot.drainLogs();
        return type;
      }
    }
  }

  /**
   * Serves one host call. A host function that answers synchronously is answered on the
   * spot (no promise, no microtask turn: this is the hot path of cache-like services);
   * only asynchronous ones make the exchange await.
   */
  private serveHostCall(slot: WorkerSlot, controller: () => AbortController): Promise<void> | undefined {
    const index = slot.i32[P.M_ARG0];
    const payload = slot.readPayload();
    let r: Uint8Array | Promise<Uint8Array>;
    try {
      if (index === P.HOST_HTTP_REQUEST) r = builtinHttpRequest(payload, this.opts.allowedHosts, controller().signal);
      else {
        const fn = this.hostFns[index];
        if (!fn) throw new Error(`unknown host function #${index}`);
        r = fn(payload, this.hostContext(controller));
      }
    } catch (err) {
      answerHost(slot, 1, this.hostFailure(index, err));
      return undefined;
    }
    if (!(r instanceof Promise)) {
      answerHost(slot, 0, r);
      return undefined;
    }
    return r.then(
      (reply) => answerHost(slot, 0, reply),
      (err) => answerHost(slot, 1, this.hostFailure(index, err)),
    );
  }

  /** The signal is created only if a host function asks for it (most never do). */
  private hostContext(controller: () => AbortController): HostCallContext {
    return {
      plugin: this.opts.name,
      get signal() {
        return controller().signal;
      },
    };
  }

  private hostFailure(index: number, err: unknown): Uint8Array {
    return new TextEncoder().encode(`${index === P.HOST_HTTP_REQUEST ? "" : `${this.hostNames[index]}: `}${(err as Error).message}`);
  }
}

function answerHost(slot: WorkerSlot, failed: number, reply: Uint8Array): void {
  if (slot.dead) throw slot.deathReason ?? new Error("engine worker stopped");
  slot.post(P.MSG_HOST_RETURN, failed, 0, reply);
}

/** The worker's final answer to a call: its result, or the trap it reported. */
function callResult(slot: WorkerSlot, type: number): RawCallResult {
  const payload = slot.readPayload();
  if (type === P.MSG_TRAP) throw new EngineTrapError(decoder.decode(payload));
  if (type !== P.MSG_RESULT) throw new EngineTrapError(`engine channel: unexpected message ${type}`);
  const outLen = slot.i32[P.M_ARG1];
  const errLen = slot.i32[P.M_ARG2];
  return {
    code: slot.i32[P.M_ARG0],
    output: outLen ? payload.subarray(0, outLen) : EMPTY,
    error: errLen < 0 ? null : decoder.decode(payload.subarray(outLen, outLen + errLen)),
  };
}

export class Engine {
  /** @internal Used by loaded modules. */
  readonly pool: WorkerPool;
  private readonly logSinks = new Map<number, (level: LogLevel, message: string) => void>();
  private inflight = 0;
  readonly spinMicros: number;

  readonly compileCache: CompileCache;
  /** [0]: calls in flight, read by workers to decide whether spinning can pay. */
  private readonly shared = new Int32Array(new SharedArrayBuffer(4));

  constructor(opts: EngineOptions = {}) {
    this.compileCache = new CompileCache(opts.compileCacheBytes ?? 0);
    this.spinMicros = opts.spinMicros ?? Number(process.env.TESS_SPIN_US ?? 100);
    this.pool = new WorkerPool({
      engineState: this.shared.buffer as SharedArrayBuffer,
      workerPath: path.join(/* turbopackIgnore: true */ process.cwd(), "lib", "plugins", "engine", "worker.mjs"),
      maxWorkers: opts.workers ?? 0,
      workerSpinMicros: opts.workerSpinMicros ?? Number(process.env.TESS_WORKER_SPIN_US ?? 100),
      onLog: (key, level, message) => this.logSinks.get(key)?.(level as LogLevel, message),
    });
    this.pool.warm();
  }

  get workerCount(): number {
    return this.pool.size;
  }

  /** Compiles a plugin, checks its imports, and initialises a first instance (in a worker). */
  async load(wasm: Uint8Array, opts: LoadOptions): Promise<EngineModule> {
    const rewritten = rewrite(wasm, opts.memoryLimitBytes);
    const module = await this.compile(rewritten, opts);
    const hostNames = checkImports(module, opts.hostFunctions);
    const exportNames = functionExports(module);
    const key = nextKey++;
    const loaded = new LoadedModule(this, key, exportNames, hostNames, loadMessageFor(key, module, rewritten, exportNames, hostNames, opts), opts);
    if (opts.onLog) this.logSinks.set(key, opts.onLog);
    await loaded.initialise();
    return loaded;
  }

  /** The compiled module, from the compile cache when `cacheKey` (with the memory limit the rewrite baked in) was seen. */
  private async compile(rewritten: RewriteResult, opts: LoadOptions): Promise<WebAssembly.Module> {
    const cacheKey = opts.cacheKey ? `${opts.cacheKey}:${opts.memoryLimitBytes}` : null;
    const cached = cacheKey ? this.compileCache.get(cacheKey) : undefined;
    if (cached) return cached;
    let module: WebAssembly.Module;
    try {
      module = await WebAssembly.compile(rewritten.bytes as BufferSource);
    } catch (err) {
      throw new EngineLoadError(`compiling module: ${(err as Error).message.replace(/^WebAssembly\.compile\(\): /, "")}`);
    }
    if (cacheKey) this.compileCache.set(cacheKey, module, rewritten.bytes.length);
    return module;
  }

  /** @internal A worker for one call of module `key`, counted as in flight until `releaseAfterCall`. */
  async acquireForCall(key: number): Promise<WorkerSlot> {
    this.inflight++;
    Atomics.store(this.shared, 0, this.inflight);
    try {
      return this.pool.tryAcquire(key) ?? (await this.pool.acquire(key));
    } catch (err) {
      this.inflight--;
      Atomics.store(this.shared, 0, this.inflight);
      throw err;
    }
  }

  /** @internal The call on `slot` is over: the worker goes back to the pool (dropping closed modules first). */
  releaseAfterCall(slot: WorkerSlot): void {
    this.inflight--;
    Atomics.store(this.shared, 0, this.inflight);
    if (this.retired.size === 0) this.pool.release(slot);
    else void this.release(slot);
  }

  /** @internal Module `key` was closed: idle workers drop it now, busy ones when their current call ends. */
  async retire(key: number): Promise<void> {
    this.logSinks.delete(key);
    this.retired.add(key);
    await Promise.all(this.pool.idleHolding(key).map((slot) => (this.pool.claimIdle(slot) ? this.release(slot) : undefined)));
  }

  /** @internal */
  dropLogSink(key: number): void {
    this.logSinks.delete(key);
  }

  private spinTries = 0;
  private spinHits = 0;
  private spinOffFor = 0;

  /**
   * How long the main thread may spin for the next answer. Spinning blocks the event
   * loop, so it is done only with a single call in flight, and it is switched off for a
   * while when it mostly fails (the answer arrived only after sleeping anyway: the
   * threads are not running side by side, or calls are slow).
   */
  spinBudget(): number {
    if (this.inflight > 1 || this.spinMicros === 0) return 0;
    if (this.spinOffFor > 0) {
      this.spinOffFor--;
      return 0;
    }
    return this.spinMicros;
  }

  recordSpin(spin: number, hit: boolean): void {
    if (spin === 0) return;
    this.spinTries++;
    if (hit) this.spinHits++;
    if (this.spinTries < 64) return;
    if (this.spinHits * 2 < this.spinTries) this.spinOffFor = 1024;
    this.spinTries = 0;
    this.spinHits = 0;
  }

  /** Modules closed while some worker still holds them. */
  readonly retired = new Set<number>();

  /** Returns a worker to the pool after it has dropped any closed module it holds. */
  private async release(slot: WorkerSlot): Promise<void> {
    for (const key of slot.loaded) {
      if (!this.retired.has(key) || slot.dead) continue;
      try {
        slot.postControl({ op: "unload", key });
        await slot.next(0);
        slot.readPayload();
        slot.loaded.delete(key);
      } catch {
        // a dead worker holds nothing
      }
    }
    this.pool.release(slot);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
