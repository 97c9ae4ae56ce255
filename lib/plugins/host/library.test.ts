import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Library } from "../../db/generated/prisma/client";
import { createLibrary, listLibraries } from "../../libraries/libraries";
import { writeDemoLibrary } from "../../media/demo-library";
import { startScan } from "../../scanner/scanner";
import { bootWithPlugins, callHost as callHostVia } from "../../testing/background-plugins";
import { installVariant } from "../../testing/host-plugins";
import type { PluginManager } from "../manager";

const ID = "test-library";
const ENOENT = 44;
const EPERM = 63;
const EROFS = 69;

let manager: PluginManager;
let pluginsFolder: string;
let dataFolder: string;
let libs: Library[];

const callHost = (fn: string, request: object | string, id = ID) => callHostVia(manager, id, "nd_test_library", fn, request);
const fsOps = async (ops: object[], id = ID) => (await manager.call<{ errno: number; [k: string]: unknown }[]>(id, "nd_test_fs", { ops }))!;

/** The Library JSON a plugin must receive, field for field (contract §4.8). */
const wire = (l: Library, fsPerm: boolean) =>
  JSON.stringify({
    id: l.id,
    name: l.name,
    ...(fsPerm ? { path: l.path, mountPoint: `/libraries/${l.id}` } : {}),
    lastScanAt: Math.floor(l.lastScanAt!.getTime() / 1000),
    totalSongs: l.totalSongs,
    totalAlbums: l.totalAlbums,
    totalArtists: l.totalArtists,
    totalSize: Number(l.totalSize),
    totalDuration: l.totalDuration,
  });

beforeAll(async () => {
  ({ manager, pluginsFolder, dataFolder } = await bootWithPlugins([ID, "test-storage-fs"], { ND_SCANNER_SCANONSTARTUP: "false" }));
  installVariant(pluginsFolder, { base: ID, id: "test-library-meta", manifest: (m) => (m.permissions!.library = { reason: "metadata only" }) });
  installVariant(pluginsFolder, { base: ID, id: "test-library-unpermitted", manifest: (m) => delete m.permissions });
  const music = path.join(dataFolder, "music");
  writeDemoLibrary(music, { seconds: 1 });
  writeFileSync(path.join(music, "notes.txt"), "library one");
  const second = path.join(dataFolder, "second");
  const third = path.join(dataFolder, "third");
  mkdirSync(second);
  mkdirSync(third);
  writeFileSync(path.join(second, "notes.txt"), "library two");
  writeFileSync(path.join(third, "private.txt"), "library three");
  // A link from an assigned library into one the plugin may not see.
  symlinkSync(path.join(third, "private.txt"), path.join(second, "peek.txt"));
  await createLibrary({ name: "Second", path: second });
  await createLibrary({ name: "Third", path: third });
  await startScan();
  libs = await listLibraries();
  await manager.sync();
  await manager.saveSettings(ID, { libraries: [libs[0].id, libs[1].id] });
  await manager.enable(ID);
});

describe("library_getalllibraries", () => {
  it("answers the libraries in scope with every field, path and mount point included (filesystem: true)", async () => {
    expect(await callHost("library_getalllibraries", {})).toBe(`{"result":[${wire(libs[0], true)},${wire(libs[1], true)}]}`);
    expect(libs[0].totalSongs).toBeGreaterThan(0);
  });

  it("leaves out path and mount point without filesystem access (the Appendix A example)", async () => {
    await manager.saveSettings("test-library-meta", { allLibraries: true });
    await manager.enable("test-library-meta");
    const resp = await callHost("library_getalllibraries", {}, "test-library-meta");
    expect(resp).toBe(`{"result":[${libs.map((l) => wire(l, false)).join(",")}]}`);
    expect(Object.keys(JSON.parse(resp).result[0])).toEqual(["id", "name", "lastScanAt", "totalSongs", "totalAlbums", "totalArtists", "totalSize", "totalDuration"]);
  });

  it("shows a never-scanned library with Go's zero time", async () => {
    const empty = path.join(dataFolder, "empty");
    mkdirSync(empty);
    const lib = await createLibrary({ name: "Empty", path: empty });
    expect(await callHost("library_getlibrary", { id: lib.id }, "test-library-meta")).toBe(
      `{"result":{"id":${lib.id},"name":"Empty","lastScanAt":-62135596800,"totalSongs":0,"totalAlbums":0,"totalArtists":0,"totalSize":0,"totalDuration":0}}`,
    );
  });
});

describe("library_getlibrary", () => {
  it("answers one library in scope", async () => {
    expect(await callHost("library_getlibrary", { id: libs[1].id })).toBe(`{"result":${wire(libs[1], true)}}`);
  });

  it("refuses libraries outside the scope and reports unknown ones", async () => {
    expect(await callHost("library_getlibrary", { id: libs[2].id })).toBe(`{"error":"library not accessible: library ID ${libs[2].id} is not in the allowed list"}`);
    expect(await callHost("library_getlibrary", { id: 999 }, "test-library-meta")).toBe('{"error":"library not found: data not found"}');
  });

  it("decodes like Go: case-insensitive keys, missing id is 0, wrong types fail", async () => {
    expect(await callHost("library_getlibrary", `{"ID":${libs[0].id}}`)).toBe(`{"result":${wire(libs[0], true)}}`);
    expect(await callHost("library_getlibrary", "{}")).toBe('{"error":"library not accessible: library ID 0 is not in the allowed list"}');
    expect(await callHost("library_getlibrary", '{"id":"1"}')).toBe(
      '{"error":"json: cannot unmarshal string into Go struct field LibraryGetLibraryRequest.id of type int32"}',
    );
  });
});

describe("permission", () => {
  it("a plugin importing library functions without the library permission fails to load", async () => {
    await expect(manager.enable("test-library-unpermitted")).rejects.toThrow(
      /"library_getlibrary" is not exported in module "extism:host\/user": manifest lacks permission "library"/,
    );
  });
});

describe("library mounts (contract §4.8)", () => {
  it("preopens exactly the assigned libraries at /libraries/<id>, in ID order", async () => {
    expect(await fsOps([{ op: "preopens" }])).toEqual([
      { errno: 0, preopens: [{ fd: 3, name: `/libraries/${libs[0].id}` }, { fd: 4, name: `/libraries/${libs[1].id}` }] },
    ]);
  });

  it("reads files and lists folders of an assigned library", async () => {
    const [one, two, list] = await fsOps([
      { op: "readfile", path: `/libraries/${libs[0].id}/notes.txt` },
      { op: "readfile", path: `/libraries/${libs[1].id}/notes.txt` },
      { op: "list", path: `/libraries/${libs[0].id}`, buf: 512 },
    ]);
    expect(one).toEqual({ errno: 0, text: "library one" });
    expect(two).toEqual({ errno: 0, text: "library two" });
    expect((list.entries as { name: string }[]).map((e) => e.name)).toEqual([".", "..", ...readdirSync(path.join(dataFolder, "music")).sort()]);
  });

  it("gives no way into a library that is not assigned", async () => {
    expect(await fsOps([
      { op: "readfile", path: `/libraries/${libs[2].id}/private.txt` },
      { op: "readfile", path: `/libraries/${libs[1].id}/peek.txt` },
      { op: "readfile", dirfd: 4, rel: "../third/private.txt" },
      { op: "readfile", dirfd: 4, rel: path.join(dataFolder, "third", "private.txt") },
    ])).toEqual([{ errno: ENOENT }, { errno: EPERM }, { errno: EPERM }, { errno: EPERM }]);
  });

  it("is read-only unless the admin allows write access", async () => {
    const target = `/libraries/${libs[1].id}/written.txt`;
    expect(await fsOps([{ op: "writefile", path: target, text: "x" }, { op: "mkdir", path: `/libraries/${libs[1].id}/d` }])).toEqual([{ errno: EROFS }, { errno: EROFS }]);
    await manager.saveSettings(ID, { allowWriteAccess: true });
    expect(await fsOps([{ op: "writefile", path: target, text: "plugin wrote this" }, { op: "readfile", path: target }, { op: "unlink", path: target }])).toEqual([
      { errno: 0 },
      { errno: 0, text: "plugin wrote this" },
      { errno: 0 },
    ]);
    await manager.saveSettings(ID, { allowWriteAccess: false });
  });

  it("mounts every library with allLibraries", async () => {
    await manager.saveSettings(ID, { allLibraries: true });
    const [pre] = await fsOps([{ op: "preopens" }]);
    expect((pre.preopens as { name: string }[]).map((p) => p.name)).toEqual((await listLibraries()).map((l) => `/libraries/${l.id}`));
    await manager.saveSettings(ID, { allLibraries: false });
  });

  it("has no filesystem without `filesystem: true`", async () => {
    expect(await fsOps([{ op: "preopens" }], "test-library-meta")).toEqual([{ errno: 0, preopens: [] }]);
  });
});

describe("the /storage mount (contract §4.13)", () => {
  const STORAGE = "test-storage-fs";

  it("is mounted read-write after the library mounts, backed by <DataFolder>/plugins/<id>/storage (0700)", async () => {
    await manager.saveSettings(STORAGE, { libraries: [libs[0].id] });
    await manager.enable(STORAGE);
    expect(await fsOps([{ op: "preopens" }], STORAGE)).toEqual([{ errno: 0, preopens: [{ fd: 3, name: `/libraries/${libs[0].id}` }, { fd: 4, name: "/storage" }] }]);
    const host = path.join(dataFolder, "plugins", STORAGE, "storage");
    expect(statSync(host).mode & 0o777).toBe(0o700);
    expect(await fsOps([{ op: "mkdir", path: "/storage/state" }, { op: "writefile", path: "/storage/state/last.json", text: '{"n":1}' }], STORAGE)).toEqual([{ errno: 0 }, { errno: 0 }]);
    expect(readFileSync(path.join(host, "state", "last.json"), "utf8")).toBe('{"n":1}');
  });

  it("keeps files between calls and across reloads, and still refuses escapes", async () => {
    await manager.saveSettings(STORAGE, { libraries: [libs[0].id, libs[1].id] });
    expect(await fsOps([{ op: "readfile", path: "/storage/state/last.json" }], STORAGE)).toEqual([{ errno: 0, text: '{"n":1}' }]);
    expect(await fsOps([{ op: "writefile", dirfd: 5, rel: "../../config.toml", text: "x" }, { op: "symlink", path: "/storage/l", target: "/" }], STORAGE)).toEqual([
      { errno: EPERM },
      { errno: EPERM },
    ]);
  });
});
