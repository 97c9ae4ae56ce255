import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db/client";
import { stopPlayTracker } from "../../scrobbler";
import { forward, installVariant } from "../../testing/host-plugins";
import { startScrobblerTestServer, type ScrobblerTestServer } from "../../testing/scrobbler-test-server";
import { createUser } from "../../users/users";

// ScrobbleRetriever (addendum A1) through real Subsonic scrobbles, the real plugin manager and
// the test-scrobble-retriever plugin, which walks the history page by page as plugins must.

const ID = "test-scrobble-retriever";
const BASE = 1754600000;
// Plays of `listener` in seconds after BASE. Runs of equal seconds straddle every page edge of
// the walks below (pages of 2 ascending, 3 descending).
const PLAYS = [100, 200, 200, 200, 200, 300, 300, 400];

let s: ScrobblerTestServer;
let ids: number[] = []; // listener's scrobble ids, ascending by (time, id)
const call = (fn: string, req: object | string) => forward(s.manager, ID, fn, req);

interface Walk {
  pages: number[][];
  times: number[][];
  requests: string[];
  error?: string;
  truncated?: boolean;
}

async function walk(username: string, options: object): Promise<Walk> {
  const r = await s.manager.loadedPlugin(ID)!.module.call("nd_read_history", new TextEncoder().encode(JSON.stringify({ username, options })), { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`nd_read_history failed: ${r.error}`);
  return JSON.parse(new TextDecoder().decode(r.output)) as Walk;
}

beforeAll(async () => {
  s = await startScrobblerTestServer([ID]);
  const res = await s.call(
    "scrobble",
    { id: PLAYS.map((_, i) => s.tracks[i % 3].id), time: PLAYS.map((t) => String((BASE + t) * 1000 + 250)), submission: "true" },
    { who: "listener" },
  );
  expect(res.status).toBe("ok");
  ids = (await db().scrobble.findMany({ where: { userId: s.listener.id }, orderBy: [{ submissionTime: "asc" }, { id: "asc" }] })).map((r) => r.id);
  await s.enable(ID, { users: [s.listener.id, s.admin.id] });
});

afterAll(async () => {
  await stopPlayTracker();
  await s?.close();
});

describe("history recorded with each counted play", () => {
  it("keeps one row per submitted play, in Unix seconds, for the submitting user", async () => {
    const rows = await db().scrobble.findMany({ where: { userId: s.listener.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => Number(r.submissionTime) - BASE)).toEqual(PLAYS);
    expect(rows.map((r) => r.mediaFileId)).toEqual(PLAYS.map((_, i) => s.tracks[i % 3].id));
  });
});

describe("scrobbleretriever_getscrobbles paging (A1.5)", () => {
  it("walks ascending pages of 2 without skipping or repeating plays that share a second", async () => {
    const w = await walk("listener", { maxItems: 2 });
    expect(w.error).toBeUndefined();
    expect(w.pages.flat()).toEqual(ids);
    expect(w.pages.map((p) => p.length)).toEqual([2, 2, 2, 2]);
    expect(w.requests).toEqual([
      '{"maxItems":2}',
      `{"fromTimestamp":${BASE + 200},"descending":false,"maxItems":2,"offset":1}`,
      // The whole second page is at 200: the incoming offset accumulates.
      `{"fromTimestamp":${BASE + 200},"descending":false,"maxItems":2,"offset":3}`,
      `{"fromTimestamp":${BASE + 300},"descending":false,"maxItems":2,"offset":1}`,
    ]);
  });

  it("walks descending pages of 3 inside a range, keeping the other bound", async () => {
    const w = await walk("LISTENER", { descending: true, maxItems: 3, fromTimestamp: BASE + 200, toTimestamp: BASE + 350 });
    const inRange = ids.filter((_, i) => PLAYS[i] >= 200 && PLAYS[i] <= 350).reverse();
    expect(w.pages.flat()).toEqual(inRange);
    expect(w.times.flat().every((t, i, all) => i === 0 || all[i - 1] >= t)).toBe(true);
    expect(w.requests[1]).toBe(`{"fromTimestamp":${BASE + 200},"toTimestamp":${BASE + 200},"descending":true,"maxItems":3,"offset":1}`);
  });

  it("answers the wire shape of A1.2: refs with id, mediaFileId and submissionTime; no next on the last page", async () => {
    const text = await call("scrobbleretriever_getscrobbles", { username: "listener", options: { fromTimestamp: BASE + 350, maxItems: 8 } });
    expect(text).toBe(`{"scrobbles":[{"id":${ids[7]},"mediaFileId":"${s.tracks[7 % 3].id}","submissionTime":${BASE + 400}}]}`);
    // A final page of exactly maxItems rows also ends the walk.
    expect(JSON.parse(await call("scrobbleretriever_getscrobbles", { username: "listener", options: { maxItems: 8 } }))).not.toHaveProperty("next");
  });

  it("answers an empty history (or an empty range) with {} and counts 0 as {}", async () => {
    expect(await call("scrobbleretriever_getscrobbles", { username: "admin" })).toBe("{}");
    expect(await call("scrobbleretriever_getscrobbles", { username: "listener", options: { fromTimestamp: BASE + 401 } })).toBe("{}");
    expect(await call("scrobbleretriever_getscrobblecount", { username: "admin", options: {} })).toBe("{}");
    expect(await call("scrobbleretriever_getfirsttimestamp", { username: "admin" })).toBe("{}");
    expect(await call("scrobbleretriever_getlasttimestamp", { username: "admin" })).toBe("{}");
  });
});

describe("count and first/last timestamps", () => {
  it("count the user's plays in an inclusive range; first and last are Unix seconds", async () => {
    expect(await call("scrobbleretriever_getscrobblecount", { username: "listener" })).toBe('{"result":8}');
    expect(await call("scrobbleretriever_getscrobblecount", { username: "listener", options: { fromTimestamp: BASE + 200, toTimestamp: BASE + 300 } })).toBe('{"result":6}');
    expect(await call("scrobbleretriever_getscrobblecount", { username: "listener", options: { fromTimestamp: null, toTimestamp: BASE + 100 } })).toBe('{"result":1}');
    expect(await call("scrobbleretriever_getfirsttimestamp", { username: "listener" })).toBe(`{"result":${BASE + 100}}`);
    expect(await call("scrobbleretriever_getlasttimestamp", { username: "listener" })).toBe(`{"result":${BASE + 400}}`);
  });
});

describe("the 5000 cap", () => {
  it("serves at most 5000 per page, and 5000 when maxItems is missing, < 1 or > 5000", async () => {
    const heavy = await createUser({ userName: "heavy", password: "heavy-pass" });
    await db().scrobble.createMany({ data: Array.from({ length: 5001 }, (_, i) => ({ userId: heavy.id, mediaFileId: s.tracks[0].id, submissionTime: BigInt(BASE + i) })) });
    await s.manager.saveSettings(ID, { users: [s.listener.id, heavy.id] });
    for (const options of [{}, { maxItems: 0 }, { maxItems: -3 }, { maxItems: 6000 }]) {
      const r = JSON.parse(await call("scrobbleretriever_getscrobbles", { username: "heavy", options }));
      expect(r.scrobbles).toHaveLength(5000);
      expect(r.next).toEqual({ fromTimestamp: BASE + 5000, descending: false, maxItems: 5000 });
    }
    const w = await walk("heavy", { maxItems: 6000 });
    expect(w.pages.map((p) => p.length)).toEqual([5000, 1]);
    expect(new Set(w.pages.flat()).size).toBe(5001);
  });
});

describe("which users can be read (A1.3, A1.4)", () => {
  it("refuses a user outside the plugin's scope, naming it, whatever the call", async () => {
    await s.manager.saveSettings(ID, { users: [s.admin.id] });
    for (const fn of ["scrobbleretriever_getfirsttimestamp", "scrobbleretriever_getlasttimestamp", "scrobbleretriever_getscrobbles", "scrobbleretriever_getscrobblecount"])
      expect(await call(fn, { username: "listener" })).toBe('{"error":"scrobbleRetriever: plugin is not allowed to act as user \\"listener\\""}');
    const w = await walk("listener", { maxItems: 2 });
    expect(w).toMatchObject({ pages: [], error: 'scrobbleRetriever: plugin is not allowed to act as user "listener"' });
  });

  it("reports an unknown user by the name asked for", async () => {
    expect(await call("scrobbleretriever_getscrobbles", { username: "nobody" })).toBe('{"error":"scrobbleRetriever: user \\"nobody\\" not found"}');
  });

  it("reads any user, admins included, with 'all users'; never another user's rows", async () => {
    await s.manager.saveSettings(ID, { allUsers: true });
    expect(await call("scrobbleretriever_getscrobblecount", { username: "admin" })).toBe("{}");
    expect(await call("scrobbleretriever_getscrobblecount", { username: "listener" })).toBe('{"result":8}');
  });

  it("answers Go's decoding error for a mistyped field", async () => {
    expect(await call("scrobbleretriever_getscrobbles", { username: "listener", options: { maxItems: "2" } })).toBe(
      '{"error":"json: cannot unmarshal string into Go struct field ScrobbleRetrieverGetScrobblesRequest.options.maxItems of type int"}',
    );
  });
});

describe("the permission (A1.1)", () => {
  it("is refused without 'users', with Navidrome's text", async () => {
    installVariant(s.pluginsFolder, { base: ID, id: "retriever-no-users", manifest: (m) => void delete m.permissions!.users });
    const report = await s.manager.sync();
    expect(report.invalid.find((e) => e.file === "retriever-no-users.ndp")?.error).toMatch(
      /validating manifest: 'scrobbleRetriever' permission requires 'users' permission to be declared$/,
    );
  });

  it("is needed for the functions: without it the plugin fails to load", async () => {
    installVariant(s.pluginsFolder, { base: ID, id: "retriever-no-permission", manifest: (m) => void delete m.permissions!.scrobbleRetriever });
    await s.manager.sync();
    await s.manager.saveSettings("retriever-no-permission", { allUsers: true });
    await expect(s.manager.enable("retriever-no-permission")).rejects.toThrow(/"scrobbleretriever_\w+" is not exported in module "extism:host\/user"/);
  });
});
