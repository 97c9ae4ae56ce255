// @ts-check
// (`turbopackIgnore` marks the file system calls on run-time paths: without them the Next.js
// build took each for a file the app ships and traced the whole project.)
//
// The WASI preview 1 filesystem of a plugin instance: host directories preopened at guest
// paths (`/libraries/<id>`, read-only unless the admin allowed writes; `/storage`,
// read-write), as Navidrome mounts them (contract §2.8, §4.8, §4.13). Runs inside an engine
// worker with synchronous node:fs calls.
//
// Every path is jailed to its mount, more strictly than Navidrome's jail:
//   * absolute paths and `..` components that climb above the mount root: EPERM;
//   * symlinks are followed only when they resolve (realpath) inside the mount: EPERM
//     otherwise (Navidrome follows existing symlinks anywhere);
//   * creating symlinks: EPERM; writes of any kind on a read-only mount: EROFS;
//   * only directories and regular files can be opened (a FIFO would block the worker).
//
// Descriptors are per instance and per call: `reset()` closes everything the guest opened,
// so a call never sees a descriptor from an earlier one, while the preopens (fd 3…) are the
// same on every call. A worker terminated mid-call (timeout) leaves nothing open: Node
// closes the files a worker opened with fs.openSync when it exits (`trackUnmanagedFds`).

import * as fs from "node:fs";
import path from "node:path";

const E = {
  SUCCESS: 0, ACCES: 2, BADF: 8, BUSY: 10, EXIST: 20, INVAL: 28, IO: 29, ISDIR: 31, LOOP: 32, MFILE: 33,
  NOENT: 44, NOTDIR: 54, NOTSUP: 58, PERM: 63, ROFS: 69, SPIPE: 70, XDEV: 75,
};

/** @type {Record<string, number>} */
const NODE_ERRNO = {
  EACCES: 2, EAGAIN: 6, EBADF: 8, EBUSY: 10, EDQUOT: 19, EEXIST: 20, EFBIG: 22, EINVAL: 28, EIO: 29, EISDIR: 31,
  ELOOP: 32, EMFILE: 33, ENAMETOOLONG: 37, ENFILE: 41, ENOENT: 44, ENOSPC: 51, ENOTDIR: 54, ENOTEMPTY: 55,
  ENOTSUP: 58, EOPNOTSUPP: 58, EPERM: 63, EROFS: 69, EXDEV: 75,
};
const errnoOf = (/** @type {any} */ err) => NODE_ERRNO[err?.code] ?? E.IO;

const FILETYPE = { UNKNOWN: 0, BLOCK: 1, CHAR: 2, DIR: 3, FILE: 4, SOCKET_STREAM: 6, SYMLINK: 7 };
const O_CREAT = 1, O_DIRECTORY = 2, O_EXCL = 4, O_TRUNC = 8;
const FDFLAG_APPEND = 1;
const LOOKUP_FOLLOW = 1;
const RIGHT_FD_READ = 1n << 1n;
const RIGHT_FD_WRITE = 1n << 6n;
const ALL_RIGHTS = 0xffffffffffffffffn;
const FST_ATIM = 1, FST_ATIM_NOW = 2, FST_MTIM = 4, FST_MTIM_NOW = 8;
const FIRST_FD = 3;

/** Host files all plugins of this worker may hold open at once; more answer EMFILE. */
const MAX_OPEN_FILES = 1024;
let openFiles = 0;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const { O_RDONLY, O_WRONLY, O_RDWR, O_NOFOLLOW, O_NONBLOCK } = fs.constants;

/**
 * @typedef {{ guestPath: string, hostPath: string, readOnly: boolean }} Mount
 * @typedef {{ guest: string, name: Uint8Array, host: string, readOnly: boolean, real: string | null }} Root
 * @typedef {{ kind: "dir", root: Root, rel: string, host: string, preopen: boolean, listing: Dirent[] | null }} DirEntry
 * @typedef {{ kind: "file", root: Root, rel: string, osfd: number, pos: number, readable: boolean, writable: boolean, append: boolean }} FileEntry
 * @typedef {DirEntry | FileEntry} Entry
 * @typedef {{ name: string, ino: bigint, type: number }} Dirent
 * @typedef {{ root: Root, rel: string, host: string, isRoot: boolean, lstat: fs.BigIntStats | null }} Resolved
 */

const typeOf = (/** @type {fs.Stats | fs.BigIntStats | fs.Dirent} */ s) =>
  s.isDirectory() ? FILETYPE.DIR
  : s.isFile() ? FILETYPE.FILE
  : s.isSymbolicLink() ? FILETYPE.SYMLINK
  : s.isCharacterDevice() ? FILETYPE.CHAR
  : s.isBlockDevice() ? FILETYPE.BLOCK
  : s.isSocket() ? FILETYPE.SOCKET_STREAM
  : FILETYPE.UNKNOWN;

const inside = (/** @type {string} */ root, /** @type {string} */ p) => p === root || p.startsWith(root.endsWith("/") ? root : `${root}/`);

/**
 * @param {{ view(): DataView, bytes(): Uint8Array }} mem the instance's memory, read afresh on each use (it may grow)
 * @param {Mount[]} mounts in preopen order (fd 3, 4, …)
 */
export function createWasiFs(mem, mounts) {
  /** @type {Root[]} */
  const roots = mounts.map((m) => ({ guest: m.guestPath, name: encoder.encode(m.guestPath), host: m.hostPath, readOnly: m.readOnly, real: null }));
  const firstOpen = FIRST_FD + roots.length;
  /** @type {Map<number, Entry>} */
  const fds = new Map();

  const realRoot = (/** @type {Root} */ r) => {
    if (r.real === null) {
      try {
        r.real = fs.realpathSync.native(r.host);
      } catch {
        return null; // not there (yet): every path under it is ENOENT
      }
    }
    return r.real;
  };

  function closeEntry(/** @type {Entry} */ e) {
    if (e.kind !== "file") return;
    openFiles--;
    try {
      fs.closeSync(e.osfd);
    } catch {
      // already gone; nothing to release
    }
  }

  /** Closes everything the guest opened and restores the preopens (start of a call's state). */
  function reset() {
    for (const [fd, e] of fds) if (fd >= firstOpen) closeEntry(e);
    fds.clear();
    roots.forEach((root, i) => fds.set(FIRST_FD + i, { kind: "dir", root, rel: "", host: "", preopen: true, listing: null }));
  }
  reset();

  const freeFd = () => {
    let fd = firstOpen;
    while (fds.has(fd)) fd++;
    return fd;
  };

  const readString = (/** @type {number} */ ptr, /** @type {number} */ len) => decoder.decode(mem.bytes().subarray(ptr, ptr + len));

  /**
   * Resolves a guest path relative to directory `dirFd` to a host path inside its mount.
   * @returns {Resolved | number} the place, or an errno
   */
  function resolve(/** @type {number} */ dirFd, /** @type {string} */ p, /** @type {boolean} */ follow) {
    const d = fds.get(dirFd);
    if (!d) return E.BADF;
    if (d.kind !== "dir") return E.NOTDIR;
    if (p === "") return E.NOENT;
    if (p.includes("\0")) return E.INVAL;
    if (p.startsWith("/")) return E.PERM;
    /** @type {string[]} */
    const parts = [];
    for (const seg of (d.rel ? `${d.rel}/${p}` : p).split("/")) {
      if (seg === "" || seg === ".") continue;
      if (seg !== "..") parts.push(seg);
      else if (parts.length === 0) return E.PERM;
      else parts.pop();
    }
    const root = realRoot(d.root);
    if (root === null) return E.NOENT;
    const rel = parts.join("/");
    const name = parts.pop();
    let parent;
    try {
      parent = fs.realpathSync.native(path.join(/*turbopackIgnore: true*/ root, ...parts));
    } catch (err) {
      return errnoOf(err);
    }
    if (!inside(root, parent)) return E.PERM;
    if (name === undefined) return { root: d.root, rel, host: parent, isRoot: true, lstat: null };
    const candidate = path.join(parent, name);
    let lstat = null;
    try {
      lstat = fs.lstatSync(candidate, { bigint: true });
    } catch (err) {
      if (/** @type {any} */ (err).code !== "ENOENT") return errnoOf(err);
    }
    if (lstat?.isSymbolicLink() && follow) {
      let real;
      try {
        real = fs.realpathSync.native(candidate);
      } catch (err) {
        return errnoOf(err); // dangling: nothing is created through it
      }
      if (!inside(root, real)) return E.PERM;
      return { root: d.root, rel, host: real, isRoot: real === root, lstat: fs.lstatSync(real, { bigint: true }) };
    }
    return { root: d.root, rel, host: candidate, isRoot: false, lstat };
  }

  /** Resolves a path argument for a modifying operation (never follows the last component). */
  function resolveForWrite(/** @type {number} */ dirFd, /** @type {number} */ ptr, /** @type {number} */ len) {
    const r = resolve(dirFd, readString(ptr, len), false);
    if (typeof r === "number") return r;
    if (r.root.readOnly) return E.ROFS;
    return r;
  }

  function writeFilestat(/** @type {number} */ out, /** @type {fs.BigIntStats} */ st) {
    const v = mem.view();
    v.setBigUint64(out, st.dev, true);
    v.setBigUint64(out + 8, st.ino, true);
    v.setUint8(out + 16, typeOf(st));
    for (let i = 17; i < 24; i++) v.setUint8(out + i, 0);
    v.setBigUint64(out + 24, st.nlink, true);
    v.setBigUint64(out + 32, st.size, true);
    v.setBigUint64(out + 40, st.atimeNs, true);
    v.setBigUint64(out + 48, st.mtimeNs, true);
    v.setBigUint64(out + 56, st.ctimeNs, true);
  }

  /** A directory descriptor's host path, re-checked: a component may have been renamed since it was opened. */
  const dirHost = (/** @type {DirEntry} */ d) => {
    const root = realRoot(d.root);
    if (root === null || d.preopen) return root;
    const real = fs.realpathSync.native(d.host);
    if (!inside(root, real)) throw Object.assign(new Error("left the mount"), { code: "EPERM" });
    return real;
  };

  /** The entries of a directory with ".", ".." first and the rest in byte order, as one stable listing. */
  function listDir(/** @type {DirEntry} */ d) {
    const host = dirHost(d);
    if (host === null) throw Object.assign(new Error("mount missing"), { code: "ENOENT" });
    const atRoot = host === realRoot(d.root);
    const ino = (/** @type {string} */ p) => {
      try {
        return fs.lstatSync(p, { bigint: true }).ino;
      } catch {
        return 0n;
      }
    };
    /** @type {Dirent[]} */
    const out = [
      { name: ".", ino: ino(host), type: FILETYPE.DIR },
      // The mount root's parent is not the guest's to see: ".." there is the root again.
      { name: "..", ino: ino(atRoot ? host : path.dirname(host)), type: FILETYPE.DIR },
    ];
    const names = fs.readdirSync(/*turbopackIgnore: true*/ host, { withFileTypes: true }).sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    for (const e of names) out.push({ name: e.name, ino: ino(path.join(/*turbopackIgnore: true*/ host, e.name)), type: typeOf(e) });
    return out;
  }

  /** Runs `fn` over the guest's iovec list, stopping at a short transfer; answers the total. */
  function eachIovec(/** @type {number} */ iovs, /** @type {number} */ count, /** @type {(ptr: number, len: number) => number} */ fn) {
    const v = mem.view();
    let total = 0;
    for (let i = 0; i < count; i++) {
      const ptr = v.getUint32(iovs + i * 8, true);
      const len = v.getUint32(iovs + i * 8 + 4, true);
      if (len === 0) continue;
      const n = fn(ptr, len);
      total += n;
      if (n < len) break;
    }
    return total;
  }

  const fileOf = (/** @type {number} */ fd) => {
    const e = fds.get(fd);
    if (!e) return E.BADF;
    if (e.kind !== "file") return E.ISDIR;
    return e;
  };

  /** Wraps an operation so any node:fs failure becomes its WASI errno. */
  const guarded = (/** @type {(...args: any[]) => number} */ fn) => (/** @type {any[]} */ ...args) => {
    try {
      return fn(...args);
    } catch (err) {
      return errnoOf(err);
    }
  };

  /** @type {Record<string, (...args: any[]) => number>} */
  const fns = {
    fd_prestat_get(fd, out) {
      const e = fds.get(fd);
      if (!e || e.kind !== "dir" || !e.preopen) return E.BADF;
      const v = mem.view();
      v.setUint32(out, 0, true); // tag 0 (directory), padding
      v.setUint32(out + 4, e.root.name.length, true);
      return E.SUCCESS;
    },
    fd_prestat_dir_name(fd, ptr, len) {
      const e = fds.get(fd);
      if (!e || e.kind !== "dir" || !e.preopen) return E.BADF;
      if (len < e.root.name.length) return 37; // ENAMETOOLONG
      mem.bytes().set(e.root.name, ptr);
      return E.SUCCESS;
    },
    fd_fdstat_get(fd, out) {
      const e = fds.get(fd);
      if (!e) return E.BADF;
      const v = mem.view();
      v.setUint8(out, e.kind === "dir" ? FILETYPE.DIR : FILETYPE.FILE);
      v.setUint8(out + 1, 0);
      v.setUint16(out + 2, e.kind === "file" && e.append ? FDFLAG_APPEND : 0, true);
      v.setUint32(out + 4, 0, true);
      v.setBigUint64(out + 8, ALL_RIGHTS, true);
      v.setBigUint64(out + 16, ALL_RIGHTS, true);
      return E.SUCCESS;
    },
    fd_fdstat_set_flags(fd, flags) {
      const e = fileOf(fd);
      if (typeof e === "number") return e === E.ISDIR ? E.SUCCESS : e;
      e.append = (flags & FDFLAG_APPEND) !== 0;
      return E.SUCCESS;
    },
    fd_close(fd) {
      const e = fds.get(fd);
      if (!e) return E.BADF;
      if (e.kind === "dir" && e.preopen) return E.NOTSUP;
      fds.delete(fd);
      closeEntry(e);
      return E.SUCCESS;
    },
    fd_renumber(from, to) {
      const a = fds.get(from);
      const b = fds.get(to);
      if (!a || !b) return E.BADF;
      if (from < firstOpen || to < firstOpen) return E.NOTSUP;
      if (from === to) return E.SUCCESS;
      closeEntry(b);
      fds.set(to, a);
      fds.delete(from);
      return E.SUCCESS;
    },
    path_open: guarded((dirFd, lookup, ptr, len, oflags, rightsBase, _rightsInheriting, fdflags, fdOut) => {
      const follow = (lookup & LOOKUP_FOLLOW) !== 0;
      const r = resolve(dirFd, readString(ptr, len), follow);
      if (typeof r === "number") return r;
      const rights = BigInt(rightsBase);
      const create = (oflags & O_CREAT) !== 0;
      const wantDir = (oflags & O_DIRECTORY) !== 0;
      const append = (fdflags & FDFLAG_APPEND) !== 0;
      // Rights decide the access mode when they name read or write; otherwise the flags do (as wazero).
      const rw = rights & (RIGHT_FD_READ | RIGHT_FD_WRITE);
      const writable = (rights & RIGHT_FD_WRITE) !== 0n || (rw === 0n && (create || (oflags & O_TRUNC) !== 0 || append));
      const readable = rw !== RIGHT_FD_WRITE;
      if (!wantDir && r.root.readOnly && (writable || create || (oflags & O_TRUNC) !== 0 || append)) return E.ROFS;
      if (r.lstat === null && !r.isRoot) {
        if (!create || wantDir) return E.NOENT;
      } else {
        if (create && (oflags & O_EXCL) !== 0) return E.EXIST;
        if (!follow && r.lstat?.isSymbolicLink()) return E.LOOP;
      }
      const existing = r.isRoot ? fs.statSync(r.host, { bigint: true }) : r.lstat;
      if (existing?.isDirectory()) {
        if (writable) return E.ISDIR;
        const fd = freeFd();
        fds.set(fd, { kind: "dir", root: r.root, rel: r.rel, host: r.host, preopen: false, listing: null });
        mem.view().setUint32(fdOut, fd, true);
        return E.SUCCESS;
      }
      if (wantDir) return E.NOTDIR;
      if (existing && !existing.isFile()) return E.NOTSUP;
      let flags = (writable ? (readable ? O_RDWR : O_WRONLY) : O_RDONLY) | O_NOFOLLOW | O_NONBLOCK;
      if (create) flags |= fs.constants.O_CREAT;
      if ((oflags & O_EXCL) !== 0) flags |= fs.constants.O_EXCL;
      if ((oflags & O_TRUNC) !== 0) flags |= fs.constants.O_TRUNC;
      if (openFiles >= MAX_OPEN_FILES) return E.MFILE;
      const osfd = fs.openSync(r.host, flags, 0o644);
      openFiles++;
      const fd = freeFd();
      fds.set(fd, { kind: "file", root: r.root, rel: r.rel, osfd, pos: 0, readable, writable, append });
      if (!fs.fstatSync(osfd).isFile()) {
        // swapped for something else between the check and the open
        fns.fd_close(fd);
        return E.NOTSUP;
      }
      mem.view().setUint32(fdOut, fd, true);
      return E.SUCCESS;
    }),
    fd_read: guarded((fd, iovs, count, nread) => {
      const e = fileOf(fd);
      if (typeof e === "number") return e;
      if (!e.readable) return E.BADF;
      const bytes = mem.bytes();
      const total = eachIovec(iovs, count, (ptr, len) => {
        const n = fs.readSync(e.osfd, bytes, ptr, len, e.pos);
        e.pos += n;
        return n;
      });
      mem.view().setUint32(nread, total, true);
      return E.SUCCESS;
    }),
    fd_pread: guarded((fd, iovs, count, offset, nread) => {
      const e = fileOf(fd);
      if (typeof e === "number") return e;
      if (!e.readable) return E.BADF;
      const bytes = mem.bytes();
      let at = Number(offset);
      const total = eachIovec(iovs, count, (ptr, len) => {
        const n = fs.readSync(e.osfd, bytes, ptr, len, at);
        at += n;
        return n;
      });
      mem.view().setUint32(nread, total, true);
      return E.SUCCESS;
    }),
    fd_write: guarded((fd, iovs, count, nwritten) => {
      const e = fileOf(fd);
      if (typeof e === "number") return e;
      if (!e.writable) return E.BADF;
      const bytes = mem.bytes();
      if (e.append) e.pos = fs.fstatSync(e.osfd).size;
      const total = eachIovec(iovs, count, (ptr, len) => {
        const n = fs.writeSync(e.osfd, bytes, ptr, len, e.pos);
        e.pos += n;
        return n;
      });
      mem.view().setUint32(nwritten, total, true);
      return E.SUCCESS;
    }),
    fd_pwrite: guarded((fd, iovs, count, offset, nwritten) => {
      const e = fileOf(fd);
      if (typeof e === "number") return e;
      if (!e.writable) return E.BADF;
      const bytes = mem.bytes();
      let at = Number(offset);
      const total = eachIovec(iovs, count, (ptr, len) => {
        const n = fs.writeSync(e.osfd, bytes, ptr, len, at);
        at += n;
        return n;
      });
      mem.view().setUint32(nwritten, total, true);
      return E.SUCCESS;
    }),
    fd_seek: guarded((fd, offset, whence, out) => {
      const e = fds.get(fd);
      if (!e) return E.BADF;
      const delta = Number(BigInt.asIntN(64, BigInt(offset)));
      if (e.kind === "dir") {
        // Only a rewind makes sense on a directory (readdir restarts at cookie 0).
        if (delta !== 0 || whence > 1) return E.INVAL;
        mem.view().setBigUint64(out, 0n, true);
        return E.SUCCESS;
      }
      let base;
      if (whence === 0) base = 0;
      else if (whence === 1) base = e.pos;
      else if (whence === 2) base = fs.fstatSync(e.osfd).size;
      else return E.INVAL;
      const next = base + delta;
      if (next < 0) return E.INVAL;
      e.pos = next;
      mem.view().setBigUint64(out, BigInt(next), true);
      return E.SUCCESS;
    }),
    fd_tell(fd, out) {
      const e = fileOf(fd);
      if (typeof e === "number") return e === E.ISDIR ? E.SPIPE : e;
      mem.view().setBigUint64(out, BigInt(e.pos), true);
      return E.SUCCESS;
    },
    fd_readdir: guarded((fd, buf, bufLen, cookie, bufused) => {
      const e = fds.get(fd);
      if (!e) return E.BADF;
      if (e.kind !== "dir") return E.NOTDIR;
      const start = Number(cookie);
      if (start === 0 || e.listing === null) e.listing = listDir(e);
      const listing = e.listing;
      const bytes = mem.bytes();
      const head = new Uint8Array(24);
      const hv = new DataView(head.buffer);
      let used = 0;
      for (let i = start; i < listing.length && used < bufLen; i++) {
        const name = encoder.encode(listing[i].name);
        hv.setBigUint64(0, BigInt(i + 1), true); // d_next: the cookie of the following entry
        hv.setBigUint64(8, listing[i].ino, true);
        hv.setUint32(16, name.length, true);
        hv.setUint8(20, listing[i].type);
        // Entries that do not fit are cut off; a full buffer tells the guest to ask again.
        for (const part of [head, name]) {
          const n = Math.min(part.length, bufLen - used);
          bytes.set(part.subarray(0, n), buf + used);
          used += n;
        }
      }
      mem.view().setUint32(bufused, used, true);
      return E.SUCCESS;
    }),
    fd_filestat_get: guarded((fd, out) => {
      const e = fds.get(fd);
      if (!e) return E.BADF;
      if (e.kind === "file") writeFilestat(out, fs.fstatSync(e.osfd, { bigint: true }));
      else {
        const host = dirHost(e);
        if (host === null) return E.NOENT;
        writeFilestat(out, fs.statSync(/*turbopackIgnore: true*/ host, { bigint: true }));
      }
      return E.SUCCESS;
    }),
    path_filestat_get: guarded((dirFd, lookup, ptr, len, out) => {
      const r = resolve(dirFd, readString(ptr, len), (lookup & LOOKUP_FOLLOW) !== 0);
      if (typeof r === "number") return r;
      const st = r.isRoot ? fs.statSync(r.host, { bigint: true }) : r.lstat;
      if (!st) return E.NOENT;
      writeFilestat(out, st);
      return E.SUCCESS;
    }),
    fd_filestat_set_size: guarded((fd, size) => {
      const e = fileOf(fd);
      if (typeof e === "number") return e === E.ISDIR ? E.BADF : e;
      if (!e.writable) return e.root.readOnly ? E.ROFS : E.BADF;
      fs.ftruncateSync(e.osfd, Number(size));
      return E.SUCCESS;
    }),
    fd_allocate: guarded((fd, offset, len) => {
      const e = fileOf(fd);
      if (typeof e === "number") return e === E.ISDIR ? E.BADF : e;
      if (!e.writable) return E.BADF;
      const end = Number(offset) + Number(len);
      if (fs.fstatSync(e.osfd).size < end) fs.ftruncateSync(e.osfd, end);
      return E.SUCCESS;
    }),
    fd_sync: guarded((fd) => {
      const e = fds.get(fd);
      if (!e) return E.BADF;
      if (e.kind === "file" && e.writable) fs.fsyncSync(e.osfd);
      return E.SUCCESS;
    }),
    fd_datasync: guarded((fd) => {
      const e = fds.get(fd);
      if (!e) return E.BADF;
      if (e.kind === "file" && e.writable) fs.fdatasyncSync(e.osfd);
      return E.SUCCESS;
    }),
    fd_advise: (fd) => (fds.has(fd) ? E.SUCCESS : E.BADF),
    fd_filestat_set_times: guarded((fd, atim, mtim, fst) => {
      const e = fds.get(fd);
      if (!e) return E.BADF;
      if (e.root.readOnly) return E.ROFS;
      if (e.kind === "file") {
        const st = fs.fstatSync(e.osfd, { bigint: true });
        fs.futimesSync(e.osfd, ...times(st, atim, mtim, fst));
      } else {
        const host = /** @type {string} */ (dirHost(e));
        fs.utimesSync(host, ...times(fs.statSync(/*turbopackIgnore: true*/ host, { bigint: true }), atim, mtim, fst));
      }
      return E.SUCCESS;
    }),
    path_filestat_set_times: guarded((dirFd, lookup, ptr, len, atim, mtim, fst) => {
      const follow = (lookup & LOOKUP_FOLLOW) !== 0;
      const r = resolve(dirFd, readString(ptr, len), follow);
      if (typeof r === "number") return r;
      if (r.root.readOnly) return E.ROFS;
      const st = r.isRoot ? fs.statSync(r.host, { bigint: true }) : r.lstat;
      if (!st) return E.NOENT;
      (follow || r.isRoot ? fs.utimesSync : fs.lutimesSync)(r.host, ...times(st, atim, mtim, fst));
      return E.SUCCESS;
    }),
    path_create_directory: guarded((dirFd, ptr, len) => {
      const r = resolveForWrite(dirFd, ptr, len);
      if (typeof r === "number") return r;
      if (r.isRoot || r.lstat) return E.EXIST;
      fs.mkdirSync(r.host, 0o755);
      return E.SUCCESS;
    }),
    path_remove_directory: guarded((dirFd, ptr, len) => {
      const r = resolveForWrite(dirFd, ptr, len);
      if (typeof r === "number") return r;
      if (r.isRoot) return E.BUSY;
      if (!r.lstat) return E.NOENT;
      if (!r.lstat.isDirectory()) return E.NOTDIR;
      fs.rmdirSync(r.host);
      return E.SUCCESS;
    }),
    path_unlink_file: guarded((dirFd, ptr, len) => {
      const r = resolveForWrite(dirFd, ptr, len);
      if (typeof r === "number") return r;
      if (r.isRoot || r.lstat?.isDirectory()) return E.ISDIR;
      if (!r.lstat) return E.NOENT;
      fs.unlinkSync(r.host);
      return E.SUCCESS;
    }),
    path_rename: guarded((oldFd, oldPtr, oldLen, newFd, newPtr, newLen) => {
      const from = resolveForWrite(oldFd, oldPtr, oldLen);
      if (typeof from === "number") return from;
      const to = resolveForWrite(newFd, newPtr, newLen);
      if (typeof to === "number") return to;
      if (from.root !== to.root) return E.XDEV;
      if (from.isRoot || to.isRoot) return E.BUSY;
      if (!from.lstat) return E.NOENT;
      fs.renameSync(from.host, to.host);
      return E.SUCCESS;
    }),
    path_link: guarded((oldFd, _lookup, oldPtr, oldLen, newFd, newPtr, newLen) => {
      const from = resolveForWrite(oldFd, oldPtr, oldLen);
      if (typeof from === "number") return from;
      const to = resolveForWrite(newFd, newPtr, newLen);
      if (typeof to === "number") return to;
      if (from.root !== to.root) return E.XDEV;
      if (!from.lstat) return E.NOENT;
      if (from.isRoot || from.lstat.isDirectory()) return E.PERM;
      if (to.isRoot || to.lstat) return E.EXIST;
      fs.linkSync(from.host, to.host);
      return E.SUCCESS;
    }),
    // Symlinks could point anywhere; plugins may follow existing ones but never make new ones.
    path_symlink: () => E.PERM,
    path_readlink: guarded((dirFd, ptr, len, buf, bufLen, bufused) => {
      const r = resolve(dirFd, readString(ptr, len), false);
      if (typeof r === "number") return r;
      if (!r.lstat) return E.NOENT;
      if (!r.lstat.isSymbolicLink()) return E.INVAL;
      const target = fs.readlinkSync(r.host, { encoding: "buffer" });
      const n = Math.min(target.length, bufLen);
      mem.bytes().set(target.subarray(0, n), buf);
      mem.view().setUint32(bufused, n, true);
      return E.SUCCESS;
    }),
  };

  return {
    fns,
    reset,
    /** True when `fd` is a descriptor of this filesystem (a preopen or something opened from one). */
    owns: (/** @type {number} */ fd) => fds.has(fd),
  };
}

/**
 * The (atime, mtime) pair in seconds for utimes: given values, "now", or the current ones.
 * @returns {[number, number]}
 */
function times(/** @type {fs.BigIntStats} */ st, /** @type {bigint} */ atim, /** @type {bigint} */ mtim, /** @type {number} */ fst) {
  const now = Date.now() / 1000;
  const pick = (/** @type {bigint} */ given, /** @type {bigint} */ current, /** @type {number} */ setBit, /** @type {number} */ nowBit) =>
    fst & nowBit ? now : fst & setBit ? Number(given) / 1e9 : Number(current) / 1e9;
  return [pick(BigInt(atim), st.atimeNs, FST_ATIM, FST_ATIM_NOW), pick(BigInt(mtim), st.mtimeNs, FST_MTIM, FST_MTIM_NOW)];
}
