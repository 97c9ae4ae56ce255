import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH_HEADER, tokenFor } from "@/lib/auth/session";
import { createLibrary } from "@/lib/libraries/libraries";
import { writeGeneratedLibrary } from "@/lib/media/demo-library";
import { startSubsonicTestServer, type SubsonicTestServer } from "@/lib/testing/subsonic-test-server";
import { findUserByName } from "@/lib/users/users";
import { GET as listUsers, POST as createUserRoute } from "./route";
import { GET as getUser, PUT as putUser } from "./[id]/route";
import { GET as getUserLibraries, PUT as putUserLibraries } from "./[id]/library/route";

/** Library access per user (issue #17): "all libraries" or a selection, through the native API and Subsonic. */
let s: SubsonicTestServer;
let adminToken = "";

beforeAll(async () => {
  s = await startSubsonicTestServer({ generated: { artists: 2, albums: 1, tracks: 2 } });
  adminToken = await tokenFor((await findUserByName("admin"))!);
});
afterAll(() => s?.close());

type Handler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;
const call = async <P extends Record<string, string>>(handler: Handler<P>, method: string, params: P, body?: unknown) => {
  const req = new Request("http://127.0.0.1/api/user", {
    method,
    headers: { [AUTH_HEADER]: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await handler(req, { params: Promise.resolve(params) });
  return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
};

const folders = async (u: string, p: string) => (await s.client({ u, p }).getMusicFolders()).musicFolders.musicFolder!.map((f) => f.id).sort();
const folderOf = async (u: string, p: string) => (await s.client({ u, p }).getUser({ username: u })).user.folder;

describe("library access per user", () => {
  it("a user given a selection browses only those libraries, through the native API and Subsonic", async () => {
    const gen = s.generatedLibraryId!;
    const created = await call(createUserRoute, "POST", {}, { userName: "picky", password: "picky-pass", allLibraries: false, libraryIds: [gen] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ userName: "picky", allLibraries: false, libraryIds: [gen] });
    expect(created.body).not.toHaveProperty("password");

    expect(await folders("picky", "picky-pass")).toEqual([gen]);
    expect(await folderOf("picky", "picky-pass")).toEqual([gen]);
    // Albums of the other library stay hidden from lists and lookups.
    const albums = (await s.client({ u: "picky", p: "picky-pass" }).getAlbumList2({ type: "alphabeticalByName", size: 500 })).albumList2.album ?? [];
    expect(albums.length).toBeGreaterThan(0);
    const demoAlbum = (await s.admin.getAlbumList2({ type: "alphabeticalByName", size: 500, musicFolderId: s.demoLibraryId })).albumList2.album![0];
    expect(albums.map((a) => a.id)).not.toContain(demoAlbum.id);
    expect((await s.json("getAlbum", { id: demoAlbum.id }, { u: "picky", p: "picky-pass" })).error.code).toBe(70);

    const id = created.body.id as string;
    expect((await call(getUser, "GET", { id })).body).toMatchObject({ allLibraries: false, libraryIds: [gen] });
    expect((await call(getUserLibraries, "GET", { id })).body.map((l: { id: number }) => l.id)).toEqual([gen]);
    expect((await call(listUsers, "GET", {})).body.find((u: { id: string }) => u.id === id)).toMatchObject({ libraryIds: [gen] });

    // Navidrome's PUT /api/user/:id/library replaces the selection.
    const put = await call(putUserLibraries, "PUT", { id }, { libraryIds: [s.demoLibraryId] });
    expect(put.status).toBe(200);
    expect(put.body.map((l: { id: number }) => l.id)).toEqual([s.demoLibraryId]);
    expect(await folders("picky", "picky-pass")).toEqual([s.demoLibraryId]);
  });

  it("new users get all libraries by default, and 'all' covers a library added later", async () => {
    const created = await call(createUserRoute, "POST", {}, { userName: "everything", password: "everything-pass" });
    expect(created.body).toMatchObject({ allLibraries: true, libraryIds: [] });
    const before = await folders("everything", "everything-pass");
    expect(before).toEqual([s.demoLibraryId, s.generatedLibraryId!].sort());

    const folder = mkdtempSync(path.join(tmpdir(), "tess-later-"));
    writeGeneratedLibrary(folder, { artists: 1, albums: 1, tracks: 1 });
    const later = await createLibrary({ name: "Added later", path: folder });
    expect(await folders("everything", "everything-pass")).toEqual([...before, later.id].sort());
    expect(await folderOf("everything", "everything-pass")).toContain(later.id);
    // A selection user does not get it.
    expect(await folders("listener", "listener-pass")).toEqual([s.demoLibraryId]);
  });

  it("switches between a selection and all libraries with PUT (patch semantics)", async () => {
    const { body } = await call(createUserRoute, "POST", {}, { userName: "switcher", password: "switcher-pass", allLibraries: false, libraryIds: [s.demoLibraryId] });
    expect(await folders("switcher", "switcher-pass")).toEqual([s.demoLibraryId]);
    const all = await call(putUser, "PUT", { id: body.id }, { allLibraries: true });
    expect(all.body).toMatchObject({ allLibraries: true, libraryIds: [s.demoLibraryId] });
    expect((await folders("switcher", "switcher-pass")).length).toBeGreaterThan(1);
    const back = await call(putUser, "PUT", { id: body.id }, { allLibraries: false });
    expect(back.body).toMatchObject({ allLibraries: false, libraryIds: [s.demoLibraryId] });
    expect(await folders("switcher", "switcher-pass")).toEqual([s.demoLibraryId]);
  });

  it("refuses library ids that name no library", async () => {
    const r = await call(createUserRoute, "POST", {}, { userName: "typo", password: "typo-pass", allLibraries: false, libraryIds: [987654] });
    expect(r.status).toBe(400);
    expect(r.body.fields.libraryIds).toMatch(/no such library: 987654/);
    expect(await findUserByName("typo")).toBeNull();
  });
});
