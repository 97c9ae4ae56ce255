// The plugin's WASI filesystem (contract §2.8): library folders at `/libraries/<id>`
// (read-only unless an admin allowed writes; `library.filesystem` permission) and the private
// `/storage` folder (`storage` permission). Nothing else exists. AssemblyScript has no WASI
// filesystem bindings, so the preview-1 calls are made here directly.
import { HostResult, BytesResult, StringResult, VoidResult } from "./results";
import { utf8 } from "./io";

@external("wasi_snapshot_preview1", "fd_prestat_get")
declare function fd_prestat_get(fd: i32, buf: usize): i32;
@external("wasi_snapshot_preview1", "fd_prestat_dir_name")
declare function fd_prestat_dir_name(fd: i32, path: usize, len: usize): i32;
@external("wasi_snapshot_preview1", "path_open")
declare function path_open(fd: i32, dirflags: i32, path: usize, pathLen: usize, oflags: i32, rightsBase: u64, rightsInheriting: u64, fdflags: i32, fdOut: usize): i32;
@external("wasi_snapshot_preview1", "fd_read")
declare function fd_read(fd: i32, iovs: usize, iovsLen: usize, nread: usize): i32;
@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: i32, iovs: usize, iovsLen: usize, nwritten: usize): i32;
@external("wasi_snapshot_preview1", "fd_close")
declare function fd_close(fd: i32): i32;
@external("wasi_snapshot_preview1", "fd_readdir")
declare function fd_readdir(fd: i32, buf: usize, bufLen: usize, cookie: u64, bufused: usize): i32;
@external("wasi_snapshot_preview1", "path_filestat_get")
declare function path_filestat_get(fd: i32, flags: i32, path: usize, pathLen: usize, buf: usize): i32;
@external("wasi_snapshot_preview1", "path_create_directory")
declare function path_create_directory(fd: i32, path: usize, pathLen: usize): i32;
@external("wasi_snapshot_preview1", "path_unlink_file")
declare function path_unlink_file(fd: i32, path: usize, pathLen: usize): i32;

const LOOKUP_FOLLOW: i32 = 1;
const OFLAG_CREAT: i32 = 1;
const OFLAG_DIRECTORY: i32 = 2;
const OFLAG_TRUNC: i32 = 8;
const FDFLAG_APPEND: i32 = 1;
const RIGHT_FD_READ: u64 = 1 << 1;
const RIGHT_FD_WRITE: u64 = 1 << 6;
const RIGHT_FD_READDIR: u64 = 1 << 14;
const TYPE_DIRECTORY: u8 = 3;
const TYPE_REGULAR_FILE: u8 = 4;
const TYPE_SYMLINK: u8 = 7;

/** WASI errno names for the common failures. */
function errnoText(errno: i32): string {
  if (errno == 2) return "permission denied (EACCES)";
  if (errno == 8) return "bad file descriptor (EBADF)";
  if (errno == 20) return "file exists (EEXIST)";
  if (errno == 28) return "invalid argument (EINVAL)";
  if (errno == 31) return "is a directory (EISDIR)";
  if (errno == 44) return "no such file or directory (ENOENT)";
  if (errno == 54) return "not a directory (ENOTDIR)";
  if (errno == 63) return "operation not permitted (EPERM)";
  if (errno == 69) return "read-only file system (EROFS)";
  return "WASI errno " + errno.toString();
}

class Location {
  errno: i32 = 0;
  fd: i32 = -1;
  rel: Uint8Array = new Uint8Array(0);
}

/** The mount holding `path` (longest prefix) and the rest of the path relative to it. */
function locate(path: string): Location {
  const r = new Location();
  const buf = new Uint8Array(8);
  let bestFd = -1;
  let bestName = "";
  for (let fd = 3; fd < 256; fd++) {
    if (fd_prestat_get(fd, buf.dataStart) != 0) break;
    const len = load<u32>(buf.dataStart + 4);
    const name = new Uint8Array(<i32>len);
    if (fd_prestat_dir_name(fd, name.dataStart, len) != 0) break;
    const mount = String.UTF8.decode(name.buffer);
    if ((path == mount || path.startsWith(mount + "/")) && mount.length > bestName.length) {
      bestFd = fd;
      bestName = mount;
    }
  }
  if (bestFd < 0) {
    r.errno = 44;
    return r;
  }
  r.fd = bestFd;
  r.rel = utf8(path.length == bestName.length ? "." : path.substring(bestName.length + 1));
  return r;
}

function fsError<T extends HostResult>(r: T, path: string, errno: i32): T {
  r.error = path + ": " + errnoText(errno);
  return r;
}

function open(path: string, oflags: i32, rights: u64, fdflags: i32, fdOut: Uint32Array): i32 {
  const at = locate(path);
  if (at.errno != 0) return at.errno;
  return path_open(at.fd, LOOKUP_FOLLOW, at.rel.dataStart, at.rel.length, oflags, rights, rights, fdflags, fdOut.dataStart);
}

export class DirEntry {
  name: string = "";
  isDirectory: bool = false;
  isFile: bool = false;
  isSymlink: bool = false;
}

export class DirResult extends HostResult {
  entries: DirEntry[] = [];
}

export class StatResult extends HostResult {
  isDirectory: bool = false;
  isFile: bool = false;
  size: i64 = 0;
  /** Unix nanoseconds. */
  modifiedNanos: i64 = 0;
}

export class FileSystem {
  /** The entries of a directory (without `.` and `..`). */
  static readDir(path: string): DirResult {
    const r = new DirResult();
    const fdOut = new Uint32Array(1);
    const e = open(path, OFLAG_DIRECTORY, RIGHT_FD_READ | RIGHT_FD_READDIR, 0, fdOut);
    if (e != 0) return fsError<DirResult>(r, path, e);
    const fd = <i32>fdOut[0];
    const bufLen = 4096;
    const buf = new Uint8Array(bufLen);
    const used = new Uint32Array(1);
    let cookie: u64 = 0;
    while (true) {
      const errno = fd_readdir(fd, buf.dataStart, bufLen, cookie, used.dataStart);
      if (errno != 0) {
        fd_close(fd);
        return fsError<DirResult>(r, path, errno);
      }
      const n = <i32>used[0];
      let at = 0;
      let progressed = false;
      while (at + 24 <= n) {
        const next = load<u64>(buf.dataStart + at);
        const nameLen = <i32>load<u32>(buf.dataStart + at + 16);
        const type = load<u8>(buf.dataStart + at + 20);
        if (at + 24 + nameLen > n) break; // cut off: ask again from this entry
        const name = String.UTF8.decode(buf.buffer.slice(at + 24, at + 24 + nameLen));
        if (name != "." && name != "..") {
          const entry = new DirEntry();
          entry.name = name;
          entry.isDirectory = type == TYPE_DIRECTORY;
          entry.isFile = type == TYPE_REGULAR_FILE;
          entry.isSymlink = type == TYPE_SYMLINK;
          r.entries.push(entry);
        }
        cookie = next;
        progressed = true;
        at += 24 + nameLen;
      }
      if (n < bufLen || !progressed) break;
    }
    fd_close(fd);
    return r;
  }

  /** Type, size and modification time (symlinks followed). */
  static stat(path: string): StatResult {
    const r = new StatResult();
    const at = locate(path);
    if (at.errno != 0) return fsError<StatResult>(r, path, at.errno);
    const st = new Uint8Array(64);
    const e = path_filestat_get(at.fd, LOOKUP_FOLLOW, at.rel.dataStart, at.rel.length, st.dataStart);
    if (e != 0) return fsError<StatResult>(r, path, e);
    r.isDirectory = st[16] == TYPE_DIRECTORY;
    r.isFile = st[16] == TYPE_REGULAR_FILE;
    r.size = load<i64>(st.dataStart + 32);
    r.modifiedNanos = load<i64>(st.dataStart + 48);
    return r;
  }

  static exists(path: string): bool {
    return FileSystem.stat(path).ok;
  }

  static readFile(path: string): BytesResult {
    const r = new BytesResult();
    const fdOut = new Uint32Array(1);
    const e = open(path, 0, RIGHT_FD_READ, 0, fdOut);
    if (e != 0) return fsError<BytesResult>(r, path, e);
    const fd = <i32>fdOut[0];
    const chunks = new Array<Uint8Array>(0);
    let total = 0;
    const iov = new Uint32Array(2);
    const nread = new Uint32Array(1);
    while (true) {
      const chunk = new Uint8Array(65536);
      iov[0] = <u32>chunk.dataStart;
      iov[1] = <u32>chunk.length;
      const errno = fd_read(fd, iov.dataStart, 1, nread.dataStart);
      if (errno != 0) {
        fd_close(fd);
        return fsError<BytesResult>(r, path, errno);
      }
      const n = <i32>nread[0];
      if (n == 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    fd_close(fd);
    const out = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < chunks.length; i++) {
      out.set(chunks[i], at);
      at += chunks[i].length;
    }
    r.value = out;
    r.exists = true;
    return r;
  }

  static readText(path: string): StringResult {
    const bytes = FileSystem.readFile(path);
    const r = new StringResult();
    r.error = bytes.error;
    if (bytes.ok) {
      r.value = String.UTF8.decode(bytes.value.buffer);
      r.exists = true;
    }
    return r;
  }

  /** Creates or replaces a file (or appends to it). */
  static writeFile(path: string, data: Uint8Array, append: bool = false): VoidResult {
    const r = new VoidResult();
    const fdOut = new Uint32Array(1);
    const e = open(path, OFLAG_CREAT | (append ? 0 : OFLAG_TRUNC), RIGHT_FD_WRITE, append ? FDFLAG_APPEND : 0, fdOut);
    if (e != 0) return fsError<VoidResult>(r, path, e);
    const fd = <i32>fdOut[0];
    const iov = new Uint32Array(2);
    const written = new Uint32Array(1);
    let at = 0;
    while (at < data.length) {
      iov[0] = <u32>(data.dataStart + <usize>at);
      iov[1] = <u32>(data.length - at);
      const errno = fd_write(fd, iov.dataStart, 1, written.dataStart);
      if (errno != 0) {
        fd_close(fd);
        return fsError<VoidResult>(r, path, errno);
      }
      if (written[0] == 0) break;
      at += <i32>written[0];
    }
    fd_close(fd);
    return r;
  }

  static writeText(path: string, text: string, append: bool = false): VoidResult {
    return FileSystem.writeFile(path, utf8(text), append);
  }

  static mkdir(path: string): VoidResult {
    const r = new VoidResult();
    const at = locate(path);
    if (at.errno != 0) return fsError<VoidResult>(r, path, at.errno);
    const e = path_create_directory(at.fd, at.rel.dataStart, at.rel.length);
    if (e != 0) return fsError<VoidResult>(r, path, e);
    return r;
  }

  static removeFile(path: string): VoidResult {
    const r = new VoidResult();
    const at = locate(path);
    if (at.errno != 0) return fsError<VoidResult>(r, path, at.errno);
    const e = path_unlink_file(at.fd, at.rel.dataStart, at.rel.length);
    if (e != 0) return fsError<VoidResult>(r, path, e);
    return r;
  }
}
