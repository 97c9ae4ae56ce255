import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { writeGeneratedLibrary } from "../media/demo-library";
import { startSubsonicTestServer, type SubsonicTestServer } from "../testing/subsonic-test-server";
import { assertWellFormedXml, xmlElements } from "../testing/xml-check";

let s: SubsonicTestServer;
const errorCode = (r: { status: string }) => (r as { error?: { code: number } }).error?.code;

beforeAll(async () => {
  s = await startSubsonicTestServer({ generated: { artists: 3, albums: 2, tracks: 4 } });
});
afterAll(() => s?.close());

describe("getUser", () => {
  it("answers the user's roles and libraries", async () => {
    const { user } = await s.listener.getUser({ username: "listener" });
    expect(user).toMatchObject({ username: "listener", adminRole: false, streamRole: true, playlistRole: true, scrobblingEnabled: true, folder: [s.demoLibraryId] });
    const admin = (await s.admin.getUser({ username: "ADMIN" })).user;
    expect(admin).toMatchObject({ username: "admin", adminRole: true, folder: [s.demoLibraryId, s.generatedLibraryId] });
  });

  it("shows other users to admins only", async () => {
    expect((await s.admin.getUser({ username: "listener" })).user.username).toBe("listener");
    expect(errorCode(await s.listener.getUser({ username: "admin" }))).toBe(50);
    expect(errorCode(await s.admin.getUser({ username: "nobody" }))).toBe(70);
    expect((await s.json("getUser")).error.code).toBe(10);
  });

  it("renders the library list as folder elements in XML", async () => {
    const xml = await (await s.raw("getUser", { username: "listener" }, s.creds.listener)).text();
    assertWellFormedXml(xml);
    expect(xmlElements(xml, "user")[0]).toMatchObject({ username: "listener", adminRole: "false" });
    expect(xml).toContain(`<folder>${s.demoLibraryId}</folder>`);
  });
});

describe("getUsers", () => {
  it("lists users for admins only", async () => {
    expect((await s.admin.getUsers()).users.user!.map((u) => u.username)).toEqual(["admin", "listener"]);
    expect(errorCode(await s.listener.getUsers())).toBe(50);
  });
});

describe("getScanStatus and startScan", () => {
  it("reports the last scan", async () => {
    const { scanStatus } = await s.listener.getScanStatus();
    expect(scanStatus).toMatchObject({ scanning: false, count: 10 + 24, folderCount: 2 });
    expect(Date.parse((scanStatus as { lastScan?: string }).lastScan!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("lets only admins start a scan, which runs in the background", async () => {
    expect(errorCode(await s.listener.startScan())).toBe(50);
    const lib = await db().library.findUniqueOrThrow({ where: { id: s.generatedLibraryId } });
    writeGeneratedLibrary(path.join(lib.path), { artists: 4, albums: 2, tracks: 4 }); // one more artist: 8 new files
    const started = await s.admin.startScan();
    expect(started.scanStatus.scanning).toBe(true);
    let status = started.scanStatus;
    for (let i = 0; i < 200 && status.scanning; i++) {
      await new Promise((r) => setTimeout(r, 25));
      status = (await s.admin.getScanStatus()).scanStatus;
    }
    expect(status).toMatchObject({ scanning: false, count: 10 + 32 });
    expect((await s.admin.search3({ query: "Artist 3" })).searchResult3.artist!.map((a) => a.name)).toEqual(["Artist 3"]);
  });
});

describe("protocol", () => {
  it("refuses a wrong password with 40, in JSON and XML", async () => {
    const bad = { u: "admin", p: "wrong" };
    expect((await s.json("getAlbumList2", { type: "newest" }, bad)).error).toEqual({ code: 40, message: "Wrong username or password." });
    const xml = await (await s.raw("getAlbumList2", { type: "newest" }, bad)).text();
    assertWellFormedXml(xml);
    expect(xmlElements(xml, "subsonic-response")[0]).toMatchObject({ status: "failed", version: "1.16.1", openSubsonic: "true" });
    expect(xmlElements(xml, "error")[0]).toEqual({ code: "40", message: "Wrong username or password." });
    const client = s.client({ u: "listener", p: "nope" });
    expect(errorCode(await client.getStarred2())).toBe(40);
  });

  it("answers errors in JSONP too", async () => {
    const text = await (await s.raw("getUser", { f: "jsonp", callback: "handle" }, s.creds.listener)).text();
    const body = JSON.parse(text.replace(/^handle\(/, "").replace(/\)$/, ""));
    expect(body["subsonic-response"].error.code).toBe(10);
  });

  it("accepts .view paths and POSTed forms", async () => {
    const res = await fetch(`${s.url}/rest/getGenres.view`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...s.creds.listener, v: "1.16.1", c: "test", f: "json" }),
    });
    expect((await res.json())["subsonic-response"].genres.genre).toHaveLength(2);
  });
});
