// @ts-check
// An engine worker: runs plugin code off the main thread.
//
// The worker never returns to its event loop. It waits on its SharedArrayBuffer for a
// message from the main thread (spinning briefly first, then sleeping in Atomics.wait),
// runs it, answers, and prepares the next instance of the module it just used. A host
// function call blocks the worker while the main thread runs the function (which may be
// asynchronous there) and writes the answer back.
//
// "Fresh instance per call" (contract §2.2) is kept exactly in one of two ways, chosen
// per module at load:
//   snapshot  initialisation touched nothing outside the instance, so the state right
//             after `_initialize` is captured (linear memory + every mutable global, all
//             exported by the load-time rewrite) and restored after each call;
//   fresh     initialisation read the clock, random numbers, host services or vars, so
//             each call gets a brand-new instance, built and initialised ahead of time
//             right after the previous call finished.

import { workerData, parentPort, receiveMessageOnPort } from "node:worker_threads";
import { Kernel, KernelError } from "./kernel.mjs";
import * as P from "./protocol.mjs";
import { createWasi, ProcExit } from "./wasi.mjs";

const { sab, ctrlPort, bulkPort, spinMicros, wasiOutput, engineState, cpus } = workerData;
/** Calls in flight engine-wide: with more than the cores can run, spinning only steals CPU. */
const engineInflight = new Int32Array(engineState);
const i32 = new Int32Array(sab, 0, P.HEADER_WORDS);
const toWorker = new Uint8Array(sab, P.TO_WORKER_OFFSET, P.AREA_BYTES);
const toMain = new Uint8Array(sab, P.TO_MAIN_OFFSET, P.AREA_BYTES);
const decoder = new TextDecoder();
const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);
let seenSeq = Atomics.load(i32, P.W_SEQ);

/** Imports initialisation may use without making a snapshot unsafe. */
const PURE_IMPORTS = new Set([
  "alloc", "free", "length", "length_unsafe", "load_u8", "load_u64", "store_u8", "store_u64", "input_offset",
  "input_length", "input_load_u8", "input_load_u64", "output_set", "error_set", "error_get", "config_get",
  "get_log_level", "fd_fdstat_get", "fd_prestat_get", "fd_prestat_dir_name", "args_sizes_get", "args_get", "environ_sizes_get", "environ_get",
]);

class HostError extends Error {}

// ---- channel --------------------------------------------------------------------------

// Spinning burns a core the server may need, so it stops for a while when it rarely pays
// (the next message usually arrives only after we would have slept anyway).
let spinTries = 0;
let spinHits = 0;
let spinOffFor = 0;

function waitForMain() {
  if (Atomics.load(i32, P.W_SEQ) === seenSeq) {
    if (spinMicros > 0 && spinOffFor === 0 && Atomics.load(engineInflight, 0) < cpus) {
      const end = performance.now() + spinMicros / 1000;
      let n = 0;
      while (Atomics.load(i32, P.W_SEQ) === seenSeq) {
        if ((++n & 63) === 0 && performance.now() > end) break;
      }
      spinTries++;
      if (Atomics.load(i32, P.W_SEQ) !== seenSeq) spinHits++;
      if (spinTries === 64) {
        if (spinHits * 4 < spinTries) spinOffFor = 1024;
        spinTries = spinHits = 0;
      }
    } else if (spinOffFor > 0) spinOffFor--;
  }
  while (Atomics.load(i32, P.W_SEQ) === seenSeq) Atomics.wait(i32, P.W_SEQ, seenSeq);
  seenSeq = Atomics.load(i32, P.W_SEQ);
}

function readPayload() {
  const len = i32[P.W_LEN];
  if (len >= 0) return toWorker.slice(0, len);
  const msg = receiveMessageOnPort(ctrlPort);
  if (!msg) throw new Error("engine channel: payload missing from the port");
  return /** @type {Uint8Array} */ (msg.message);
}

/**
 * @param {number} type
 * @param {number} a0 @param {number} a1 @param {number} a2
 * @param {Uint8Array[]} parts
 */
function send(type, a0, a1, a2, parts) {
  let len = 0;
  for (const p of parts) len += p.length;
  if (len <= P.AREA_BYTES) {
    let at = 0;
    for (const p of parts) {
      toMain.set(p, at);
      at += p.length;
    }
    i32[P.M_LEN] = len;
  } else {
    const all = new Uint8Array(len);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    bulkPort.postMessage(all);
    i32[P.M_LEN] = -1;
  }
  i32[P.M_TYPE] = type;
  i32[P.M_ARG0] = a0;
  i32[P.M_ARG1] = a1;
  i32[P.M_ARG2] = a2;
  Atomics.add(i32, P.M_SEQ, 1);
  Atomics.notify(i32, P.M_SEQ);
}

/** Runs a host function on the main thread and blocks until it answers. */
function hostCall(/** @type {number} */ index, /** @type {Uint8Array[]} */ parts) {
  send(P.MSG_HOST_CALL, index, 0, 0, parts);
  waitForMain();
  if (i32[P.W_TYPE] !== P.MSG_HOST_RETURN) throw new Error(`engine channel: expected a host function result, got message ${i32[P.W_TYPE]}`);
  const failed = i32[P.W_ARG0] !== 0;
  const data = readPayload();
  if (failed) throw new HostError(decoder.decode(data));
  return data;
}

// ---- modules --------------------------------------------------------------------------

/**
 * @typedef {{
 *   key: number, module: WebAssembly.Module, exportNames: string[], hostNames: string[],
 *   memoryExport: string | null, mutableGlobals: string[], snapshotAllowed: boolean,
 *   kernel: Kernel, mounts: import("./wasi-fs.mjs").Mount[], resetFs: () => void,
 *   imports: WebAssembly.Imports, instance: WebAssembly.Instance | null,
 *   memory: WebAssembly.Memory | null, mode: "snapshot" | "fresh",
 *   snapshot: { memory: Uint8Array, globals: (number | bigint)[] } | null,
 *   ready: boolean, initialising: boolean, impure: string[], prepareError: string | null,
 * }} ModuleState
 */

/** @type {Map<number, ModuleState>} */
const modules = new Map();

/** @param {ModuleState} s */
function buildImports(s) {
  const wrap = (/** @type {string} */ name, /** @type {Function} */ fn) =>
    PURE_IMPORTS.has(name)
      ? fn
      : (/** @type {any[]} */ ...args) => {
          if (s.initialising) s.impure.push(name);
          return fn(...args);
        };
  /** @type {Record<string, Function>} */
  const env = {};
  for (const [name, fn] of Object.entries(s.kernel.imports())) env[name] = wrap(name, fn);
  /** @type {Record<string, Function>} */
  const wasi = {};
  const w = createWasi(() => s.memory, { output: wasiOutput, mounts: s.mounts });
  s.resetFs = w.reset;
  for (const [name, fn] of Object.entries(w.imports)) wasi[name] = wrap(name, fn);
  /** @type {Record<string, Function>} */
  const user = {};
  s.hostNames.forEach((name, index) => {
    user[name] = (/** @type {bigint} */ addr) => {
      if (s.initialising) s.impure.push(name);
      const input = (typeof addr === "bigint" && s.kernel.block(Number(addr))) || EMPTY;
      const out = hostCall(index, [input]);
      return BigInt(s.kernel.allocBytes(out));
    };
  });
  return { "extism:host/env": env, wasi_snapshot_preview1: wasi, "extism:host/user": user };
}

/** The built-in `http_request`, carried out by the main thread (it owns the network). */
function httpRequest(/** @type {Uint8Array} */ req, /** @type {Uint8Array | null} */ body) {
  const head = new Uint8Array(8);
  const dv = new DataView(head.buffer);
  dv.setUint32(0, req.length, true);
  dv.setInt32(4, body ? body.length : -1, true);
  const res = hostCall(P.HOST_HTTP_REQUEST, body ? [head, req, body] : [head, req]);
  const rv = new DataView(res.buffer, res.byteOffset, res.byteLength);
  const status = rv.getInt32(0, true);
  const hlen = rv.getUint32(4, true);
  return { status, headers: res.subarray(8, 8 + hlen), body: res.subarray(8 + hlen) };
}

/** @param {ModuleState} s */
function instantiate(s) {
  s.instance = null;
  s.memory = null;
  const instance = new WebAssembly.Instance(s.module, s.imports);
  s.instance = instance;
  const mem = s.memoryExport ? instance.exports[s.memoryExport] : null;
  s.memory = mem instanceof WebAssembly.Memory ? mem : null;
  return instance;
}

/** Extism's guest initialiser: `_initialize`, else `__wasm_call_ctors`, else `hs_init`. */
function initialise(/** @type {ModuleState} */ s) {
  const ex = /** @type {any} */ (s.instance).exports;
  s.kernel.reset(EMPTY);
  if (typeof ex._initialize === "function") ex._initialize();
  else if (typeof ex.__wasm_call_ctors === "function") ex.__wasm_call_ctors();
  else if (typeof ex.hs_init === "function") ex.hs_init(0, 0);
}

/** @param {ModuleState} s */
function takeSnapshot(s) {
  const ex = /** @type {any} */ (s.instance).exports;
  s.snapshot = {
    memory: s.memory ? new Uint8Array(s.memory.buffer).slice() : EMPTY,
    globals: s.mutableGlobals.map((name) => ex[name].value),
  };
}

/** @param {ModuleState} s */
function restoreSnapshot(s) {
  const snap = /** @type {NonNullable<ModuleState["snapshot"]>} */ (s.snapshot);
  if (s.memory && s.memory.buffer.byteLength !== snap.memory.length) {
    // Memory grew during the call and cannot shrink: start from a new instance.
    instantiate(s);
    const have = /** @type {WebAssembly.Memory} */ (s.memory).buffer.byteLength;
    if (have < snap.memory.length) /** @type {WebAssembly.Memory} */ (s.memory).grow((snap.memory.length - have) / 65536);
  }
  if (s.memory) new Uint8Array(s.memory.buffer).set(snap.memory);
  const ex = /** @type {any} */ (s.instance).exports;
  for (let i = 0; i < s.mutableGlobals.length; i++) ex[s.mutableGlobals[i]].value = snap.globals[i];
}

/** Makes the next call's instance ready (after load and after every call). */
function prepare(/** @type {ModuleState} */ s) {
  s.ready = false;
  try {
    if (s.mode === "snapshot" && s.snapshot) restoreSnapshot(s);
    else {
      instantiate(s);
      initialise(s);
    }
    s.prepareError = null;
    s.ready = true;
  } catch (err) {
    s.prepareError = describe(err);
  }
}

function describe(/** @type {unknown} */ err) {
  if (err instanceof WebAssembly.RuntimeError) return `wasm error: ${err.message}`;
  if (err instanceof RangeError && /call stack/i.test(err.message)) return "wasm error: stack overflow";
  if (err instanceof WebAssembly.LinkError || err instanceof WebAssembly.CompileError) return err.message.replace(/^WebAssembly\.Instance\(\): /, "");
  if (err instanceof Error) return err.message;
  return String(err);
}

function load(/** @type {any} */ msg) {
  /** @type {ModuleState} */
  const s = {
    key: msg.key,
    module: msg.module,
    exportNames: msg.exportNames,
    hostNames: msg.hostNames,
    memoryExport: msg.memoryExport,
    mutableGlobals: msg.mutableGlobals,
    snapshotAllowed: msg.snapshotAllowed,
    kernel: new Kernel({
      config: msg.config,
      logLevel: msg.logLevel,
      limitBytes: msg.limitBytes,
      onLog: (level, message) => {
        parentPort?.postMessage({ t: "log", key: msg.key, level, message });
        Atomics.add(i32, P.LOG_COUNT, 1);
      },
      http: httpRequest,
    }),
    mounts: msg.mounts ?? [],
    resetFs: () => {},
    imports: {},
    instance: null,
    memory: null,
    mode: "fresh",
    snapshot: null,
    ready: false,
    initialising: true,
    impure: [],
    prepareError: null,
  };
  s.imports = buildImports(s);
  modules.set(s.key, s);
  try {
    instantiate(s);
    initialise(s);
  } catch (err) {
    modules.delete(s.key);
    return { ok: false, error: describe(err) };
  } finally {
    s.initialising = false;
  }
  if (s.snapshotAllowed && s.impure.length === 0) {
    s.mode = "snapshot";
    takeSnapshot(s);
  } else {
    s.mode = "fresh";
  }
  s.ready = true;
  return { ok: true, mode: s.mode, impure: [...new Set(s.impure)] };
}

// ---- calls ----------------------------------------------------------------------------

function runCall(/** @type {number} */ key, /** @type {number} */ exportIndex, /** @type {Uint8Array} */ input) {
  const s = modules.get(key);
  if (!s) return send(P.MSG_TRAP, 0, 0, 0, [encoder.encode("engine: module is not loaded in this worker")]);
  if (!s.ready) prepare(s);
  if (!s.ready) return send(P.MSG_TRAP, 0, 0, 0, [encoder.encode(`failed to create plugin: ${s.prepareError}`)]);
  const fn = /** @type {any} */ (s.instance).exports[s.exportNames[exportIndex]];
  s.kernel.reset(input);
  s.ready = false;
  let code = 0;
  try {
    const r = fn();
    code = typeof r === "bigint" ? Number(BigInt.asIntN(32, r)) : typeof r === "number" ? r | 0 : 0;
  } catch (err) {
    if (err instanceof ProcExit && err.code === 0) code = 0;
    else {
      send(P.MSG_TRAP, 0, 0, 0, [encoder.encode(describe(err))]);
      s.resetFs();
      prepare(s);
      return;
    }
  }
  // Files the call opened are closed before the next instance is prepared (whose own
  // initialiser may open some for the next call).
  s.resetFs();
  const output = s.kernel.output();
  const error = s.kernel.error();
  const errBytes = error === null ? EMPTY : encoder.encode(error);
  send(P.MSG_RESULT, code, output.length, error === null ? -1 : errBytes.length, [output, errBytes]);
  prepare(s);
}

function control() {
  const msg = receiveMessageOnPort(ctrlPort)?.message;
  let reply;
  if (msg?.op === "load") reply = load(msg);
  else if (msg?.op === "unload") {
    modules.get(msg.key)?.resetFs();
    modules.delete(msg.key);
    reply = { ok: true };
  } else reply = { ok: false, error: "engine channel: unknown control message" };
  send(P.MSG_CONTROL_DONE, 0, 0, 0, [encoder.encode(JSON.stringify(reply))]);
}

parentPort?.postMessage({ t: "ready" });
for (;;) {
  waitForMain();
  const type = i32[P.W_TYPE];
  try {
    if (type === P.MSG_CALL) runCall(i32[P.W_ARG0], i32[P.W_ARG1], readPayload());
    else if (type === P.MSG_CONTROL) control();
    else send(P.MSG_TRAP, 0, 0, 0, [encoder.encode(`engine channel: unexpected message ${type}`)]);
  } catch (err) {
    // A failure of the worker itself (not of the plugin): report it and keep serving.
    send(P.MSG_TRAP, 0, 0, 0, [encoder.encode(`engine worker: ${describe(err)}`)]);
  }
}
