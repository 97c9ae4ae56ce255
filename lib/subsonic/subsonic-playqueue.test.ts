import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { startSubsonicTestServer, type SubsonicTestServer } from "../testing/subsonic-test-server";

/**
 * savePlayQueue/getPlayQueue and the OpenSubsonic index-based pair (issue #17), through the
 * validating client: every answer is also checked against the OpenSubsonic schema.
 */
let s: SubsonicTestServer;
let songs: string[] = [];
let hidden = "";

beforeAll(async () => {
  s = await startSubsonicTestServer({ generated: { artists: 2, albums: 1, tracks: 2 } });
  songs = (await db().mediaFile.findMany({ where: { libraryId: s.demoLibraryId }, orderBy: { id: "asc" }, take: 4 })).map((t) => t.id);
  hidden = (await db().mediaFile.findFirstOrThrow({ where: { libraryId: s.generatedLibraryId } })).id;
});
afterAll(() => s?.close());

describe("savePlayQueue / getPlayQueue", () => {
  it("answers an empty response while nothing is saved", async () => {
    const r = await s.json("getPlayQueue", {}, s.creds.listener);
    expect(r.status).toBe("ok");
    expect(r).not.toHaveProperty("playQueue");
    expect((await s.json("getPlayQueueByIndex", {}, s.creds.listener)).playQueueByIndex).toBeUndefined();
  });

  it("saves the queue, current track, position and client per user", async () => {
    await s.listener.savePlayQueue({ id: [songs[0], songs[1], songs[2]], current: songs[1], position: 61_500 });
    const before = Date.now();
    const { playQueue } = await s.listener.getPlayQueue();
    expect(playQueue).toMatchObject({ current: songs[1], position: 61_500, username: "listener", changedBy: "subsonic-api" });
    expect(playQueue!.entry!.map((e) => e.id)).toEqual([songs[0], songs[1], songs[2]]);
    expect(Math.abs(new Date(playQueue!.changed).getTime() - before)).toBeLessThan(60_000);
    // The admin's queue is their own.
    expect((await s.admin.getPlayQueue()).playQueue).toBeUndefined();
  });

  it("records the client name given by `c`", async () => {
    // The raw helper sends `c=test`; the typed client above sends `c=subsonic-api`.
    await s.json("savePlayQueue", { id: [songs[2], songs[3]], current: songs[3], position: "5" }, s.creds.listener);
    const r = (await s.listener.getPlayQueue()).playQueue;
    expect(r).toMatchObject({ current: songs[3], position: 5, changedBy: "test" });
  });

  it("keeps duplicates in order and leaves out songs the user may not see", async () => {
    await s.listener.savePlayQueue({ id: [songs[0], hidden, songs[0], songs[2]], current: songs[2], position: 0 });
    const { playQueue } = await s.listener.getPlayQueue();
    expect(playQueue!.entry!.map((e) => e.id)).toEqual([songs[0], songs[0], songs[2]]);
    expect(playQueue!.current).toBe(songs[2]);
    const byIndex = (await s.json("getPlayQueueByIndex", {}, s.creds.listener)).playQueueByIndex;
    expect(byIndex).toMatchObject({ currentIndex: 2, username: "listener" });
  });

  it("clears the queue when saved without songs", async () => {
    await s.listener.savePlayQueue({ id: [songs[0]], position: 0 });
    await s.listener.savePlayQueue({ position: 0 });
    expect((await s.listener.getPlayQueue()).playQueue).toBeUndefined();
  });
});

describe("savePlayQueueByIndex / getPlayQueueByIndex (OpenSubsonic indexBasedQueue)", () => {
  it("stores the current track by index, so a queue with the same song twice resumes at the right one", async () => {
    const save = await s.json("savePlayQueueByIndex", { id: [songs[0], songs[1], songs[0]], currentIndex: "2", position: "1200" }, s.creds.listener);
    expect(save.status).toBe("ok");
    const r = await s.json("getPlayQueueByIndex", {}, s.creds.listener);
    expect(r.playQueueByIndex).toMatchObject({ currentIndex: 2, position: 1200, username: "listener" });
    expect(r.playQueueByIndex.entry.map((e: { id: string }) => e.id)).toEqual([songs[0], songs[1], songs[0]]);
    expect((await s.json("getPlayQueue", {}, s.creds.listener)).playQueue.current).toBe(songs[0]);
  });

  it("refuses a missing or out-of-range index", async () => {
    expect((await s.json("savePlayQueueByIndex", { id: [songs[0]] }, s.creds.listener)).error.code).toBe(10);
    expect((await s.json("savePlayQueueByIndex", { id: [songs[0]], currentIndex: "1" }, s.creds.listener)).error.code).toBe(0);
  });

  it("is advertised as the indexBasedQueue extension", async () => {
    const { openSubsonicExtensions } = await s.admin.getOpenSubsonicExtensions();
    expect(openSubsonicExtensions).toContainEqual({ name: "indexBasedQueue", versions: [1] });
  });
});
