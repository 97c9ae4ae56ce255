// A WASI filesystem probe for test plugins with mounts (test-library, test-storage-fs).
//
// AssemblyScript has no WASI filesystem bindings, so the preview-1 calls are declared here and used raw. `runFsOps`
// takes {"ops":[…]} and answers a JSON array with one object per op, each carrying the WASI `errno` (0 = success):
//
//   {"op":"preopens"}                           → {"errno":0,"preopens":[{"fd":3,"name":"/libraries/1"},…]}
//   {"op":"open", <where>, "oflags":n, "rights":"read|write|rw|none", "fdflags":n, "follow":bool, "dir":bool}
//                                               → {"errno","fd"}
//   {"op":"read","fd","n"} / {"op":"pread","fd","n","offset"}   → {"errno","text"}
//   {"op":"write","fd","text"}                  → {"errno","n"}
//   {"op":"seek","fd","offset","whence"} / {"op":"tell","fd"}   → {"errno","offset"}
//   {"op":"close","fd"} / {"op":"fdstat","fd"} / {"op":"fstat","fd"}   → {"errno"[,"type","size"]}
//   {"op":"readfile", <where>}                  → {"errno","text"}  (open read-only, read to the end, close)
//   {"op":"writefile", <where>, "text", "append":bool}  → {"errno"}  (create + truncate, or append)
//   {"op":"list", <where>, "buf":n}             → {"errno","entries":[{"name","type","next"}]}  (fd_readdir with an
//                                                 n-byte buffer, default 64, following the cookies)
//   {"op":"stat", <where>, "follow":bool}       → {"errno","type","size"}
//   {"op":"mkdir"|"rmdir"|"unlink"|"readlink", <where>}        → {"errno"[,"text"]}
//   {"op":"rename", <where>, "to":<guest path>} / {"op":"symlink", <where>, "target":s}  → {"errno"}
//   {"op":"prestat","fd"}                       → {"errno","name"}
//   {"op":"spin"}                               → never returns (to test what a timeout leaves open)
//
// <where> is either "path": an absolute guest path, resolved like wasi-libc (longest preopen prefix, the rest
// relative to it), or "dirfd" (a descriptor number) plus "rel" (sent to the host verbatim, e.g. "../x" or "/etc").
import { JValue, J_ARR, J_NUM, q } from "./pdk";

@external("wasi_snapshot_preview1", "fd_prestat_get")
declare function fd_prestat_get(fd: i32, buf: usize): i32;
@external("wasi_snapshot_preview1", "fd_prestat_dir_name")
declare function fd_prestat_dir_name(fd: i32, path: usize, len: usize): i32;
@external("wasi_snapshot_preview1", "path_open")
declare function path_open(fd: i32, dirflags: i32, path: usize, pathLen: usize, oflags: i32, rightsBase: u64, rightsInheriting: u64, fdflags: i32, fdOut: usize): i32;
@external("wasi_snapshot_preview1", "fd_read")
declare function fd_read(fd: i32, iovs: usize, iovsLen: usize, nread: usize): i32;
@external("wasi_snapshot_preview1", "fd_pread")
declare function fd_pread(fd: i32, iovs: usize, iovsLen: usize, offset: u64, nread: usize): i32;
@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: i32, iovs: usize, iovsLen: usize, nwritten: usize): i32;
@external("wasi_snapshot_preview1", "fd_seek")
declare function fd_seek(fd: i32, offset: i64, whence: i32, newOffset: usize): i32;
@external("wasi_snapshot_preview1", "fd_tell")
declare function fd_tell(fd: i32, out: usize): i32;
@external("wasi_snapshot_preview1", "fd_close")
declare function fd_close(fd: i32): i32;
@external("wasi_snapshot_preview1", "fd_readdir")
declare function fd_readdir(fd: i32, buf: usize, bufLen: usize, cookie: u64, bufused: usize): i32;
@external("wasi_snapshot_preview1", "fd_filestat_get")
declare function fd_filestat_get(fd: i32, buf: usize): i32;
@external("wasi_snapshot_preview1", "fd_fdstat_get")
declare function fd_fdstat_get(fd: i32, buf: usize): i32;
@external("wasi_snapshot_preview1", "path_filestat_get")
declare function path_filestat_get(fd: i32, flags: i32, path: usize, pathLen: usize, buf: usize): i32;
@external("wasi_snapshot_preview1", "path_create_directory")
declare function path_create_directory(fd: i32, path: usize, pathLen: usize): i32;
@external("wasi_snapshot_preview1", "path_remove_directory")
declare function path_remove_directory(fd: i32, path: usize, pathLen: usize): i32;
@external("wasi_snapshot_preview1", "path_unlink_file")
declare function path_unlink_file(fd: i32, path: usize, pathLen: usize): i32;
@external("wasi_snapshot_preview1", "path_rename")
declare function path_rename(fd: i32, oldPath: usize, oldLen: usize, newFd: i32, newPath: usize, newLen: usize): i32;
@external("wasi_snapshot_preview1", "path_symlink")
declare function path_symlink(oldPath: usize, oldLen: usize, fd: i32, newPath: usize, newLen: usize): i32;
@external("wasi_snapshot_preview1", "path_readlink")
declare function path_readlink(fd: i32, path: usize, pathLen: usize, buf: usize, bufLen: usize, bufused: usize): i32;

const RIGHT_FD_READ: u64 = 1 << 1;
const RIGHT_FD_WRITE: u64 = 1 << 6;
const OFLAG_CREAT: i32 = 1;
const OFLAG_DIRECTORY: i32 = 2;
const OFLAG_TRUNC: i32 = 8;
const FDFLAG_APPEND: i32 = 1;

class Preopen {
  fd: i32 = 0;
  name: string = "";
}

function preopens(): Preopen[] {
  const out: Preopen[] = [];
  const buf = new Uint8Array(8);
  for (let fd = 3; fd < 64; fd++) {
    if (fd_prestat_get(fd, buf.dataStart) != 0) break;
    const len = load<u32>(buf.dataStart + 4);
    const name = new Uint8Array(<i32>len);
    if (fd_prestat_dir_name(fd, name.dataStart, len) != 0) break;
    const p = new Preopen();
    p.fd = fd;
    p.name = String.UTF8.decode(name.buffer);
    out.push(p);
  }
  return out;
}

class Place {
  errno: i32 = 0;
  fd: i32 = -1;
  rel: string = "";
}

/** Finds the directory descriptor and relative path for an op's <where>. */
function place(op: JValue, key: string = "path"): Place {
  const r = new Place();
  const dirfd = op.get("dirfd");
  if (dirfd !== null && dirfd.kind == J_NUM) {
    r.fd = <i32>dirfd.n;
    r.rel = op.str("rel");
    return r;
  }
  const path = op.str(key);
  let best: Preopen | null = null;
  const all = preopens();
  for (let i = 0; i < all.length; i++) {
    const p = all[i];
    if ((path == p.name || path.startsWith(p.name + "/")) && (best === null || p.name.length > best.name.length)) best = p;
  }
  if (best === null) {
    r.errno = 44; // ENOENT: no mount holds this path
    return r;
  }
  r.fd = best.fd;
  r.rel = path.length == best.name.length ? "." : path.substring(best.name.length + 1);
  return r;
}

function bytesOf(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

function openAt(p: Place, oflags: i32, rights: u64, fdflags: i32, follow: bool, fdOut: Uint32Array): i32 {
  const b = bytesOf(p.rel);
  return path_open(p.fd, follow ? 1 : 0, b.dataStart, b.length, oflags, rights, rights, fdflags, fdOut.dataStart);
}

function rightsOf(name: string): u64 {
  if (name == "write") return RIGHT_FD_WRITE;
  if (name == "rw") return RIGHT_FD_READ | RIGHT_FD_WRITE;
  if (name == "none") return 0;
  return RIGHT_FD_READ;
}

function readChunk(fd: i32, n: i32, offset: i64, positional: bool, errno: i32[]): string {
  const buf = new Uint8Array(n);
  const iov = new Uint32Array(2);
  iov[0] = <u32>buf.dataStart;
  iov[1] = <u32>n;
  const nread = new Uint32Array(1);
  errno[0] = positional ? fd_pread(fd, iov.dataStart, 1, <u64>offset, nread.dataStart) : fd_read(fd, iov.dataStart, 1, nread.dataStart);
  return String.UTF8.decode(buf.buffer.slice(0, <i32>nread[0]));
}

function writeAll(fd: i32, text: string, written: Uint32Array): i32 {
  const b = bytesOf(text);
  const iov = new Uint32Array(2);
  iov[0] = <u32>b.dataStart;
  iov[1] = <u32>b.length;
  return fd_write(fd, iov.dataStart, 1, written.dataStart);
}

function errnoOnly(e: i32): string {
  return '{"errno":' + e.toString() + "}";
}

function statResult(e: i32, buf: Uint8Array): string {
  if (e != 0) return errnoOnly(e);
  return '{"errno":0,"type":' + buf[16].toString() + ',"size":' + load<u64>(buf.dataStart + 32).toString() + "}";
}

function pathOp(op: JValue, which: string): string {
  const p = place(op);
  if (p.errno != 0) return errnoOnly(p.errno);
  const b = bytesOf(p.rel);
  if (which == "mkdir") return errnoOnly(path_create_directory(p.fd, b.dataStart, b.length));
  if (which == "rmdir") return errnoOnly(path_remove_directory(p.fd, b.dataStart, b.length));
  if (which == "unlink") return errnoOnly(path_unlink_file(p.fd, b.dataStart, b.length));
  if (which == "stat") {
    const st = new Uint8Array(64);
    return statResult(path_filestat_get(p.fd, op.bool("follow", true) ? 1 : 0, b.dataStart, b.length, st.dataStart), st);
  }
  if (which == "readlink") {
    const buf = new Uint8Array(512);
    const used = new Uint32Array(1);
    const e = path_readlink(p.fd, b.dataStart, b.length, buf.dataStart, 512, used.dataStart);
    if (e != 0) return errnoOnly(e);
    return '{"errno":0,"text":' + q(String.UTF8.decode(buf.buffer.slice(0, <i32>used[0]))) + "}";
  }
  if (which == "symlink") {
    const t = bytesOf(op.str("target"));
    return errnoOnly(path_symlink(t.dataStart, t.length, p.fd, b.dataStart, b.length));
  }
  // rename
  const to = place(op, "to");
  if (to.errno != 0) return errnoOnly(to.errno);
  const tb = bytesOf(to.rel);
  return errnoOnly(path_rename(p.fd, b.dataStart, b.length, to.fd, tb.dataStart, tb.length));
}

function readFile(op: JValue): string {
  const p = place(op);
  if (p.errno != 0) return errnoOnly(p.errno);
  const fdOut = new Uint32Array(1);
  let e = openAt(p, 0, RIGHT_FD_READ, 0, true, fdOut);
  if (e != 0) return errnoOnly(e);
  const fd = <i32>fdOut[0];
  let text = "";
  const errno: i32[] = [0];
  for (;;) {
    const chunk = readChunk(fd, 4096, 0, false, errno);
    if (errno[0] != 0 || chunk.length == 0) break;
    text += chunk;
  }
  fd_close(fd);
  if (errno[0] != 0) return errnoOnly(errno[0]);
  return '{"errno":0,"text":' + q(text) + "}";
}

function writeFile(op: JValue): string {
  const p = place(op);
  if (p.errno != 0) return errnoOnly(p.errno);
  const fdOut = new Uint32Array(1);
  const append = op.bool("append");
  const e = openAt(p, OFLAG_CREAT | (append ? 0 : OFLAG_TRUNC), RIGHT_FD_WRITE, append ? FDFLAG_APPEND : 0, true, fdOut);
  if (e != 0) return errnoOnly(e);
  const written = new Uint32Array(1);
  const we = writeAll(<i32>fdOut[0], op.str("text"), written);
  fd_close(<i32>fdOut[0]);
  return errnoOnly(we);
}

function list(op: JValue): string {
  const p = place(op);
  if (p.errno != 0) return errnoOnly(p.errno);
  const fdOut = new Uint32Array(1);
  const e = openAt(p, OFLAG_DIRECTORY, RIGHT_FD_READ, 0, true, fdOut);
  if (e != 0) return errnoOnly(e);
  const fd = <i32>fdOut[0];
  const size = <i32>op.int("buf", 64);
  const buf = new Uint8Array(size);
  const used = new Uint32Array(1);
  let cookie: u64 = 0;
  let out = "";
  let errno = 0;
  for (let rounds = 0; rounds < 10000; rounds++) {
    errno = fd_readdir(fd, buf.dataStart, size, cookie, used.dataStart);
    if (errno != 0) break;
    const n = <i32>used[0];
    let at = 0;
    let progressed = false;
    // Whole entries only; a cut-off one is asked for again from its cookie.
    while (at + 24 <= n) {
      const next = load<u64>(buf.dataStart + at);
      const namlen = <i32>load<u32>(buf.dataStart + at + 16);
      const type = load<u8>(buf.dataStart + at + 20);
      if (at + 24 + namlen > n) break;
      const name = String.UTF8.decode(buf.buffer.slice(at + 24, at + 24 + namlen));
      if (out.length > 0) out += ",";
      out += '{"name":' + q(name) + ',"type":' + type.toString() + ',"next":' + next.toString() + "}";
      cookie = next;
      at += 24 + namlen;
      progressed = true;
    }
    if (n < size) break; // the listing ended inside this buffer
    if (!progressed) {
      errno = -1; // one entry is larger than the buffer
      break;
    }
  }
  fd_close(fd);
  if (errno != 0) return errnoOnly(errno);
  return '{"errno":0,"entries":[' + out + "]}";
}

function runOne(op: JValue): string {
  const name = op.str("op");
  if (name == "preopens") {
    const all = preopens();
    let s = "";
    for (let i = 0; i < all.length; i++) {
      if (i > 0) s += ",";
      s += '{"fd":' + all[i].fd.toString() + ',"name":' + q(all[i].name) + "}";
    }
    return '{"errno":0,"preopens":[' + s + "]}";
  }
  if (name == "prestat") {
    const buf = new Uint8Array(8);
    const fd = <i32>op.int("fd");
    const e = fd_prestat_get(fd, buf.dataStart);
    if (e != 0) return errnoOnly(e);
    const len = load<u32>(buf.dataStart + 4);
    const nameBuf = new Uint8Array(<i32>len);
    const e2 = fd_prestat_dir_name(fd, nameBuf.dataStart, len);
    if (e2 != 0) return errnoOnly(e2);
    return '{"errno":0,"name":' + q(String.UTF8.decode(nameBuf.buffer)) + "}";
  }
  if (name == "open") {
    const p = place(op);
    if (p.errno != 0) return errnoOnly(p.errno);
    const fdOut = new Uint32Array(1);
    const oflags = <i32>op.int("oflags") | (op.bool("dir") ? OFLAG_DIRECTORY : 0);
    const e = openAt(p, oflags, rightsOf(op.str("rights", "read")), <i32>op.int("fdflags"), op.bool("follow", true), fdOut);
    if (e != 0) return errnoOnly(e);
    return '{"errno":0,"fd":' + fdOut[0].toString() + "}";
  }
  if (name == "read" || name == "pread") {
    const errno: i32[] = [0];
    const text = readChunk(<i32>op.int("fd"), <i32>op.int("n", 4096), op.int("offset"), name == "pread", errno);
    if (errno[0] != 0) return errnoOnly(errno[0]);
    return '{"errno":0,"text":' + q(text) + "}";
  }
  if (name == "write") {
    const written = new Uint32Array(1);
    const e = writeAll(<i32>op.int("fd"), op.str("text"), written);
    if (e != 0) return errnoOnly(e);
    return '{"errno":0,"n":' + written[0].toString() + "}";
  }
  if (name == "seek" || name == "tell") {
    const out = new Uint64Array(1);
    const e = name == "seek" ? fd_seek(<i32>op.int("fd"), op.int("offset"), <i32>op.int("whence"), out.dataStart) : fd_tell(<i32>op.int("fd"), out.dataStart);
    if (e != 0) return errnoOnly(e);
    return '{"errno":0,"offset":' + out[0].toString() + "}";
  }
  if (name == "close") return errnoOnly(fd_close(<i32>op.int("fd")));
  if (name == "spin") {
    let n: u64 = 0;
    for (;;) n = n * 31 + 1; // until the host stops the call
  }
  if (name == "fstat") {
    const st = new Uint8Array(64);
    return statResult(fd_filestat_get(<i32>op.int("fd"), st.dataStart), st);
  }
  if (name == "fdstat") {
    const st = new Uint8Array(24);
    const e = fd_fdstat_get(<i32>op.int("fd"), st.dataStart);
    if (e != 0) return errnoOnly(e);
    return '{"errno":0,"type":' + st[0].toString() + "}";
  }
  if (name == "readfile") return readFile(op);
  if (name == "writefile") return writeFile(op);
  if (name == "list") return list(op);
  if (name == "stat" || name == "mkdir" || name == "rmdir" || name == "unlink" || name == "readlink" || name == "symlink" || name == "rename") return pathOp(op, name);
  return '{"errno":-1,"error":' + q("unknown op " + name) + "}";
}

/** Runs every op of {"ops":[…]} in order and answers the JSON array of results. */
export function runFsOps(req: JValue): string {
  const ops = req.get("ops");
  if (ops === null || ops.kind != J_ARR) return "[]";
  let out = "";
  for (let i = 0; i < ops.items.length; i++) {
    if (i > 0) out += ",";
    out += runOne(ops.items[i]);
  }
  return "[" + out + "]";
}
