import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, type EngineModule, type LoadOptions } from "./index";

const wasm = (name: string) => new Uint8Array(readFileSync(path.join(import.meta.dirname, "../../../build/plugins", `${name}.wasm`)));
const enc = new TextEncoder();
const dec = new TextDecoder();

const ENOENT = 44;
const EPERM = 63;
const EROFS = 69;
const EBADF = 8;
const EISDIR = 31;
const ENOTDIR = 54;
const ELOOP = 32;
const ENOTSUP = 58;
const EXDEV = 75;

type Result = { errno: number; [k: string]: unknown };

let engine: Engine;
let root: string;
let library: string;
let storage: string;
let outside: string;
let plugin: EngineModule;

const base: LoadOptions = { name: "fs", hostFunctions: {}, config: {}, allowedHosts: [], logLevel: "info", timeoutMs: 5000, memoryLimitBytes: 64 * 1024 * 1024 };

async function run(m: EngineModule, ...ops: object[]): Promise<Result[]> {
  const r = await m.call("nd_test_fs", enc.encode(JSON.stringify({ ops })));
  if (r.error) throw new Error(r.error);
  return JSON.parse(dec.decode(r.output)) as Result[];
}
const one = async (op: object, m = plugin) => (await run(m, op))[0];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "tessitura-wasi-fs-"));
  library = path.join(root, "library");
  storage = path.join(root, "storage");
  outside = path.join(root, "outside");
  for (const d of [library, storage, outside, path.join(library, "Artist", "Album")]) mkdirSync(d, { recursive: true });
  writeFileSync(path.join(library, "Artist", "Album", "notes.txt"), "hello from the library");
  writeFileSync(path.join(library, "readme.txt"), "0123456789");
  writeFileSync(path.join(outside, "secret.txt"), "top secret");
  symlinkSync(path.join(outside, "secret.txt"), path.join(library, "escape.txt"));
  symlinkSync(outside, path.join(library, "escape-dir"));
  symlinkSync("Artist/Album/notes.txt", path.join(library, "inside-link.txt"));
  symlinkSync(path.join(library, "missing"), path.join(library, "dangling"));
  execFileSync("mkfifo", [path.join(library, "fifo")]);
  engine = new Engine({ workers: 2 });
  plugin = await engine.load(wasm("test-storage-fs"), {
    ...base,
    mounts: [
      { guestPath: "/libraries/1", hostPath: library, readOnly: true },
      { guestPath: "/storage", hostPath: storage, readOnly: false },
    ],
  });
});

afterAll(async () => {
  await engine.close();
});

describe("preopens", () => {
  it("lists the mounts as fd 3, 4, … in order, the same on every call", async () => {
    const expected = { errno: 0, preopens: [{ fd: 3, name: "/libraries/1" }, { fd: 4, name: "/storage" }] };
    expect(await one({ op: "preopens" })).toEqual(expected);
    expect(await one({ op: "preopens" })).toEqual(expected);
  });

  it("has no filesystem at all without mounts", async () => {
    const bare = await engine.load(wasm("test-storage-fs"), base);
    expect(await one({ op: "preopens" }, bare)).toEqual({ errno: 0, preopens: [] });
    expect(await one({ op: "readfile", dirfd: 3, rel: "readme.txt" }, bare)).toEqual({ errno: EBADF });
    await bare.close();
  });
});

describe("reading a library mount", () => {
  it("reads files, with read, pread, seek and tell", async () => {
    expect(await one({ op: "readfile", path: "/libraries/1/Artist/Album/notes.txt" })).toEqual({ errno: 0, text: "hello from the library" });
    const [open, r1, tell, seek, r2, pread, after] = await run(
      plugin,
      { op: "open", path: "/libraries/1/readme.txt" },
      { op: "read", fd: 5, n: 4 },
      { op: "tell", fd: 5 },
      { op: "seek", fd: 5, offset: -3, whence: 2 },
      { op: "read", fd: 5, n: 10 },
      { op: "pread", fd: 5, n: 2, offset: 1 },
      { op: "tell", fd: 5 },
    );
    expect(open).toEqual({ errno: 0, fd: 5 });
    expect(r1).toEqual({ errno: 0, text: "0123" });
    expect(tell).toEqual({ errno: 0, offset: 4 });
    expect(seek).toEqual({ errno: 0, offset: 7 });
    expect(r2).toEqual({ errno: 0, text: "789" });
    expect(pread).toEqual({ errno: 0, text: "12" });
    expect(after).toEqual({ errno: 0, offset: 10 });
  });

  it("stats files and directories (filetype 4 / 3)", async () => {
    expect(await one({ op: "stat", path: "/libraries/1/readme.txt" })).toEqual({ errno: 0, type: 4, size: 10 });
    expect(await one({ op: "stat", path: "/libraries/1/Artist" })).toMatchObject({ errno: 0, type: 3 });
    expect(await one({ op: "stat", path: "/libraries/1" })).toMatchObject({ errno: 0, type: 3 });
    expect(await one({ op: "stat", path: "/libraries/1/nope" })).toEqual({ errno: ENOENT });
    const [, fstat, fdstat] = await run(plugin, { op: "open", path: "/libraries/1/readme.txt" }, { op: "fstat", fd: 5 }, { op: "fdstat", fd: 5 });
    expect(fstat).toEqual({ errno: 0, type: 4, size: 10 });
    expect(fdstat).toEqual({ errno: 0, type: 4 });
    expect(await one({ op: "fdstat", fd: 3 })).toEqual({ errno: 0, type: 3 });
  });

  it("lists directories through fd_readdir cookies, even with a buffer smaller than one entry set", async () => {
    const names = (r: Result) => (r.entries as { name: string }[]).map((e) => e.name);
    const all = await one({ op: "list", path: "/libraries/1", buf: 256 });
    expect(names(all)).toEqual([".", "..", "Artist", "dangling", "escape-dir", "escape.txt", "fifo", "inside-link.txt", "readme.txt"]);
    expect((all.entries as { next: number }[]).map((e) => e.next)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(all.entries).toContainEqual({ name: "escape.txt", type: 7, next: 6 });
    expect(all.entries).toContainEqual({ name: "Artist", type: 3, next: 3 });
    // 40 bytes hold one entry at most: every call resumes from the last cookie.
    expect(names(await one({ op: "list", path: "/libraries/1", buf: 40 }))).toEqual(names(all));
    expect(names(await one({ op: "list", path: "/libraries/1/Artist/Album" }))).toEqual([".", "..", "notes.txt"]);
  });

  it("follows symlinks that stay inside the mount", async () => {
    expect(await one({ op: "readfile", path: "/libraries/1/inside-link.txt" })).toEqual({ errno: 0, text: "hello from the library" });
    expect(await one({ op: "stat", path: "/libraries/1/inside-link.txt", follow: false })).toMatchObject({ errno: 0, type: 7 });
    expect(await one({ op: "readlink", path: "/libraries/1/inside-link.txt" })).toEqual({ errno: 0, text: "Artist/Album/notes.txt" });
  });

  it("resolves directory descriptors relative to themselves", async () => {
    const [dir, file] = await run(plugin, { op: "open", path: "/libraries/1/Artist", dir: true }, { op: "readfile", dirfd: 5, rel: "Album/notes.txt" });
    expect(dir).toEqual({ errno: 0, fd: 5 });
    expect(file).toEqual({ errno: 0, text: "hello from the library" });
    const [, up] = await run(plugin, { op: "open", path: "/libraries/1/Artist/Album", dir: true }, { op: "readfile", dirfd: 5, rel: "../../readme.txt" });
    expect(up).toEqual({ errno: 0, text: "0123456789" });
  });
});

describe("the jail", () => {
  it("refuses .. that climbs out of the mount, from the root or from a subdirectory", async () => {
    expect(await one({ op: "readfile", dirfd: 3, rel: "../outside/secret.txt" })).toEqual({ errno: EPERM });
    expect(await one({ op: "readfile", dirfd: 3, rel: "Artist/../../outside/secret.txt" })).toEqual({ errno: EPERM });
    expect(await one({ op: "stat", dirfd: 3, rel: ".." })).toEqual({ errno: EPERM });
    const [, up] = await run(plugin, { op: "open", path: "/libraries/1/Artist", dir: true }, { op: "readfile", dirfd: 5, rel: "../../outside/secret.txt" });
    expect(up).toEqual({ errno: EPERM });
  });

  it("refuses absolute paths", async () => {
    expect(await one({ op: "readfile", dirfd: 3, rel: path.join(outside, "secret.txt") })).toEqual({ errno: EPERM });
    expect(await one({ op: "stat", dirfd: 3, rel: "/etc/passwd" })).toEqual({ errno: EPERM });
  });

  it("refuses symlinks that lead out of the mount (files and directories)", async () => {
    expect(await one({ op: "readfile", path: "/libraries/1/escape.txt" })).toEqual({ errno: EPERM });
    expect(await one({ op: "readfile", path: "/libraries/1/escape-dir/secret.txt" })).toEqual({ errno: EPERM });
    expect(await one({ op: "list", path: "/libraries/1/escape-dir" })).toEqual({ errno: EPERM });
    expect(await one({ op: "stat", path: "/libraries/1/escape.txt" })).toEqual({ errno: EPERM });
    // The link itself may be looked at, not followed.
    expect(await one({ op: "stat", path: "/libraries/1/escape.txt", follow: false })).toMatchObject({ errno: 0, type: 7 });
    expect(await one({ op: "open", path: "/libraries/1/escape.txt", follow: false })).toEqual({ errno: ELOOP });
    expect(await one({ op: "readfile", path: "/libraries/1/dangling" })).toEqual({ errno: ENOENT });
  });

  it("refuses to create symlinks anywhere", async () => {
    expect(await one({ op: "symlink", path: "/storage/link", target: "/etc/passwd" })).toEqual({ errno: EPERM });
    expect(await one({ op: "symlink", path: "/storage/link2", target: "file" })).toEqual({ errno: EPERM });
    expect(existsSync(path.join(storage, "link"))).toBe(false);
  });

  it("refuses every write to a read-only mount with EROFS", async () => {
    expect(await one({ op: "writefile", path: "/libraries/1/new.txt", text: "x" })).toEqual({ errno: EROFS });
    expect(await one({ op: "writefile", path: "/libraries/1/readme.txt", text: "x" })).toEqual({ errno: EROFS });
    expect(await one({ op: "open", path: "/libraries/1/readme.txt", rights: "rw" })).toEqual({ errno: EROFS });
    expect(await one({ op: "open", path: "/libraries/1/readme.txt", rights: "write" })).toEqual({ errno: EROFS });
    expect(await one({ op: "open", path: "/libraries/1/readme.txt", oflags: 8 })).toEqual({ errno: EROFS }); // O_TRUNC
    expect(await one({ op: "mkdir", path: "/libraries/1/dir" })).toEqual({ errno: EROFS });
    expect(await one({ op: "unlink", path: "/libraries/1/readme.txt" })).toEqual({ errno: EROFS });
    expect(await one({ op: "rmdir", path: "/libraries/1/Artist" })).toEqual({ errno: EROFS });
    expect(await one({ op: "rename", path: "/libraries/1/readme.txt", to: "/libraries/1/r.txt" })).toEqual({ errno: EROFS });
    const [, write] = await run(plugin, { op: "open", path: "/libraries/1/readme.txt" }, { op: "write", fd: 5, text: "x" });
    expect(write).toEqual({ errno: EBADF });
    expect(readFileSync(path.join(library, "readme.txt"), "utf8")).toBe("0123456789");
    expect(readdirSync(library)).not.toContain("new.txt");
  });

  it("does not open FIFOs or other special files", async () => {
    expect(await one({ op: "open", path: "/libraries/1/fifo" })).toEqual({ errno: ENOTSUP });
  });
});

describe("the read-write /storage mount", () => {
  it("creates, appends, lists, renames and removes", async () => {
    expect(await run(
      plugin,
      { op: "mkdir", path: "/storage/cache" },
      { op: "writefile", path: "/storage/cache/a.txt", text: "one" },
      { op: "writefile", path: "/storage/cache/a.txt", text: "+two", append: true },
      { op: "readfile", path: "/storage/cache/a.txt" },
      { op: "rename", path: "/storage/cache/a.txt", to: "/storage/b.txt" },
      { op: "list", path: "/storage" },
    )).toEqual([
      { errno: 0 },
      { errno: 0 },
      { errno: 0 },
      { errno: 0, text: "one+two" },
      { errno: 0 },
      { errno: 0, entries: [{ name: ".", type: 3, next: 1 }, { name: "..", type: 3, next: 2 }, { name: "b.txt", type: 4, next: 3 }, { name: "cache", type: 3, next: 4 }] },
    ]);
    expect(readFileSync(path.join(storage, "b.txt"), "utf8")).toBe("one+two");
    expect(await run(plugin, { op: "unlink", path: "/storage/b.txt" }, { op: "rmdir", path: "/storage/cache" }, { op: "list", path: "/storage" })).toEqual([
      { errno: 0 },
      { errno: 0 },
      { errno: 0, entries: [{ name: ".", type: 3, next: 1 }, { name: "..", type: 3, next: 2 }] },
    ]);
  });

  it("refuses to move files between mounts and to escape with ..", async () => {
    expect(await one({ op: "rename", path: "/libraries/1/readme.txt", to: "/storage/r.txt" })).toEqual({ errno: EROFS });
    await one({ op: "writefile", path: "/storage/x.txt", text: "x" });
    expect(await one({ op: "rename", path: "/storage/x.txt", to: "/libraries/1/x.txt" })).toEqual({ errno: EROFS });
    expect(await one({ op: "writefile", dirfd: 4, rel: "../outside/planted.txt", text: "x" })).toEqual({ errno: EPERM });
    expect(existsSync(path.join(outside, "planted.txt"))).toBe(false);
    await one({ op: "unlink", path: "/storage/x.txt" });
  });

  it("answers EISDIR / ENOTDIR for the wrong kind", async () => {
    expect(await one({ op: "writefile", path: "/storage", text: "x" })).toEqual({ errno: EISDIR });
    await one({ op: "writefile", path: "/storage/f", text: "x" });
    expect(await one({ op: "list", path: "/storage/f" })).toEqual({ errno: ENOTDIR });
    expect(await one({ op: "unlink", path: "/storage/f" })).toEqual({ errno: 0 });
  });
});

describe("descriptors are per call", () => {
  it("closes what a call opened, so the next call cannot use it", async () => {
    expect(await one({ op: "open", path: "/libraries/1/readme.txt" })).toEqual({ errno: 0, fd: 5 });
    expect(await one({ op: "read", fd: 5, n: 4 })).toEqual({ errno: EBADF });
    expect(await one({ op: "open", path: "/libraries/1/readme.txt" })).toEqual({ errno: 0, fd: 5 });
  });

  it("closes the host files of a call stopped at its timeout", async () => {
    const holding = () => readdirSync("/proc/self/fd").filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === path.join(library, "readme.txt");
      } catch {
        return false;
      }
    }).length;
    const call = plugin.call("nd_test_fs", enc.encode(JSON.stringify({ ops: [{ op: "open", path: "/libraries/1/readme.txt" }, { op: "spin" }] })), { timeoutMs: 300 });
    for (let i = 0; i < 100 && holding() === 0; i++) await new Promise((r) => setTimeout(r, 2));
    expect(holding()).toBe(1);
    await expect(call).rejects.toThrow("context deadline exceeded");
    for (let i = 0; i < 100 && holding() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(holding()).toBe(0);
    expect(await one({ op: "readfile", path: "/libraries/1/readme.txt" })).toEqual({ errno: 0, text: "0123456789" });
  });

  it("keeps the preopens: they cannot be closed", async () => {
    expect(await run(plugin, { op: "close", fd: 3 }, { op: "prestat", fd: 3 })).toEqual([{ errno: ENOTSUP }, { errno: 0, name: "/libraries/1" }]);
  });

  it("cross-mount renames answer EXDEV on writable mounts", async () => {
    const rw = await engine.load(wasm("test-storage-fs"), {
      ...base,
      mounts: [
        { guestPath: "/libraries/1", hostPath: library, readOnly: true },
        { guestPath: "/storage", hostPath: storage, readOnly: false },
        { guestPath: "/libraries/2", hostPath: outside, readOnly: false },
      ],
    });
    await one({ op: "writefile", path: "/storage/y.txt", text: "y" }, rw);
    expect(await one({ op: "rename", path: "/storage/y.txt", to: "/libraries/2/y.txt" }, rw)).toEqual({ errno: EXDEV });
    await one({ op: "unlink", path: "/storage/y.txt" }, rw);
    await rw.close();
  });
});
