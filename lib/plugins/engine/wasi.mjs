// @ts-check
// WASI preview 1 (`wasi_snapshot_preview1`) as Navidrome configures it for plugins:
// real wall clock, secure random, no args, no environment, stdin empty, stdout/stderr
// discarded unless the server runs with EXTISM_ENABLE_WASI_OUTPUT, sleeping returns at
// once, and a filesystem only of the preopened mounts it is given (wasi-fs.mjs: library
// folders, plugin storage). Every preview-1 function is provided, so a module never fails
// to instantiate over WASI; what is not supported answers an errno.

import { randomFillSync } from "node:crypto";
import { writeSync } from "node:fs";
import { createWasiFs } from "./wasi-fs.mjs";

const ESUCCESS = 0;
const EBADF = 8;
const EINVAL = 28;
const ENOSYS = 52;
const FILETYPE_CHARACTER_DEVICE = 2;

/** Thrown by `proc_exit`; the worker ends the call with the exit code. */
export class ProcExit extends Error {
  /** @param {number} code */
  constructor(code) {
    super(`module closed with exit_code(${code})`);
    this.code = code;
  }
}

const ALL_FUNCTIONS = [
  "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
  "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
  "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
  "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
  "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
  "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
  "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_accept",
  "sock_recv", "sock_send", "sock_shutdown",
];

export const WASI_FUNCTIONS = new Set(ALL_FUNCTIONS);

/**
 * @param {() => WebAssembly.Memory | null} getMemory the instance's memory (set after instantiation)
 * @param {{ output: boolean, mounts?: import("./wasi-fs.mjs").Mount[] }} opts
 * @returns {{ imports: Record<string, Function>, reset: () => void }} the import object, and
 *   `reset`, which closes what the guest opened (call it between calls)
 */
export function createWasi(getMemory, opts) {
  const view = () => {
    const m = getMemory();
    if (!m) throw new Error("WASI call before the module's memory is available");
    return new DataView(m.buffer);
  };
  const bytes = () => new Uint8Array(/** @type {WebAssembly.Memory} */ (getMemory()).buffer);
  const fsys = createWasiFs({ view, bytes }, opts.mounts ?? []);
  const isStdio = (/** @type {number} */ fd) => fd >= 0 && fd <= 2;

  /** @type {Record<string, Function>} */
  const fns = {
    args_sizes_get: (/** @type {number} */ argc, /** @type {number} */ bufSize) => {
      const v = view();
      v.setUint32(argc, 0, true);
      v.setUint32(bufSize, 0, true);
      return ESUCCESS;
    },
    args_get: () => ESUCCESS,
    environ_sizes_get: (/** @type {number} */ count, /** @type {number} */ bufSize) => {
      const v = view();
      v.setUint32(count, 0, true);
      v.setUint32(bufSize, 0, true);
      return ESUCCESS;
    },
    environ_get: () => ESUCCESS,
    clock_res_get: (/** @type {number} */ id, /** @type {number} */ out) => {
      if (id < 0 || id > 3) return EINVAL;
      view().setBigUint64(out, id === 0 ? 1000n : 1n, true);
      return ESUCCESS;
    },
    clock_time_get: (/** @type {number} */ id, /** @type {bigint} */ _precision, /** @type {number} */ out) => {
      let t;
      if (id === 0) t = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
      else if (id >= 1 && id <= 3) t = process.hrtime.bigint();
      else return EINVAL;
      view().setBigUint64(out, t, true);
      return ESUCCESS;
    },
    random_get: (/** @type {number} */ buf, /** @type {number} */ len) => {
      randomFillSync(bytes(), buf, len);
      return ESUCCESS;
    },
    fd_write: (/** @type {number} */ fd, /** @type {number} */ iovs, /** @type {number} */ iovsLen, /** @type {number} */ nwritten) => {
      if (fsys.owns(fd)) return fsys.fns.fd_write(fd, iovs, iovsLen, nwritten);
      if (fd !== 1 && fd !== 2) return EBADF;
      const v = view();
      const mem = bytes();
      let total = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = v.getUint32(iovs + i * 8, true);
        const len = v.getUint32(iovs + i * 8 + 4, true);
        if (opts.output && len) writeSync(fd, mem.subarray(ptr, ptr + len));
        total += len;
      }
      v.setUint32(nwritten, total, true);
      return ESUCCESS;
    },
    fd_read: (/** @type {number} */ fd, /** @type {number} */ iovs, /** @type {number} */ len, /** @type {number} */ nread) => {
      if (fsys.owns(fd)) return fsys.fns.fd_read(fd, iovs, len, nread);
      if (fd !== 0) return EBADF;
      view().setUint32(nread, 0, true);
      return ESUCCESS;
    },
    fd_fdstat_get: (/** @type {number} */ fd, /** @type {number} */ out) => {
      if (!isStdio(fd)) return fsys.fns.fd_fdstat_get(fd, out);
      const v = view();
      v.setUint8(out, FILETYPE_CHARACTER_DEVICE);
      v.setUint16(out + 2, 0, true);
      v.setBigUint64(out + 8, 0xffffffffffffffffn, true);
      v.setBigUint64(out + 16, 0xffffffffffffffffn, true);
      return ESUCCESS;
    },
    fd_close: (/** @type {number} */ fd) => (isStdio(fd) ? ESUCCESS : fsys.fns.fd_close(fd)),
    poll_oneoff: (/** @type {number} */ inPtr, /** @type {number} */ outPtr, /** @type {number} */ n, /** @type {number} */ neventsPtr) => {
      // Every subscription completes at once (clock subscriptions do not sleep, as in Navidrome).
      const v = view();
      for (let i = 0; i < n; i++) {
        const sub = inPtr + i * 48;
        const ev = outPtr + i * 32;
        v.setBigUint64(ev, v.getBigUint64(sub, true), true);
        v.setUint16(ev + 8, ESUCCESS, true);
        v.setUint8(ev + 10, v.getUint8(sub + 8));
        for (let j = 11; j < 32; j++) v.setUint8(ev + j, 0);
      }
      v.setUint32(neventsPtr, n, true);
      return ESUCCESS;
    },
    proc_exit: (/** @type {number} */ code) => {
      throw new ProcExit(code);
    },
    sched_yield: () => ESUCCESS,
  };
  for (const [name, fn] of Object.entries(fsys.fns)) fns[name] ??= fn;
  for (const name of ALL_FUNCTIONS) {
    if (fns[name]) continue;
    fns[name] = name.startsWith("fd_") || name.startsWith("path_") ? () => EBADF : () => ENOSYS;
  }
  return { imports: fns, reset: fsys.reset };
}
