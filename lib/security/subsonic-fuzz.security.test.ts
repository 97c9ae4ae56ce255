import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { writeDemoLibrary } from "../media/demo-library";
import { startScan } from "../scanner/scanner";
import { dispatchSubsonic } from "../subsonic/dispatch";
import { routes } from "../subsonic/routes";
import { validateSubsonicJson } from "../subsonic/schema/validate";
import { bootTestServer } from "../testing/boot-test-server";

// Subsonic parameters from hostile or broken clients (issue #9 item 2): any method, any
// parameter values. The answer is always a well-formed envelope (or media bytes), never a
// crash, and failures carry a Subsonic error code.
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = 20261125;
let ids: string[] = [];

beforeAll(async () => {
  const { config } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  writeDemoLibrary(config.resolved.musicFolder, { seconds: 1 });
  await startScan();
  const [songs, albums, artists] = await Promise.all([db().mediaFile.findMany(), db().album.findMany(), db().artist.findMany()]);
  ids = [...songs.map((s) => s.id), ...albums.map((a) => a.id), ...artists.map((a) => a.id)];
});

const CODES = new Set([0, 10, 20, 30, 40, 41, 42, 43, 44, 50, 70]);

describe("Subsonic API under fuzzed parameters", () => {
  it("always answers a valid envelope or media", async () => {
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer().map(String),
      fc.constantFrom("", "-1", "0", "999999999999999999999", "NaN", "true", "null", "<x>", "' OR 1=1 --", "%00", "../../etc/passwd"),
      fc.constant("ID").map(() => ids[Math.floor(Math.random() * ids.length)] ?? "x"),
    );
    const param = fc.tuple(
      fc.constantFrom("id", "albumId", "artistId", "size", "offset", "count", "type", "query", "fromYear", "toYear", "genre", "musicFolderId", "rating", "name", "songId", "playlistId", "format", "maxBitRate", "username", "submission", "time"),
      value,
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(routes), "nope", "getAlbum.view"), fc.array(param, { maxLength: 6 }), fc.constantFrom("json", "xml"), async (method, params, f) => {
        const q = new URLSearchParams({ u: "admin", p: "admin-pass", v: "1.16.1", c: "fuzz", f });
        for (const [k, v] of params) q.append(k, v);
        // Writes are attacked too; the demo library is regenerated for nothing: they only touch annotations and playlists.
        const res = await dispatchSubsonic(method, q);
        expect(res.status, `${method} ${q}`).toBeLessThan(500);
        const type = res.headers.get("content-type") ?? "";
        if (type.startsWith("application/json")) {
          const body = await res.json();
          const inner = body["subsonic-response"];
          expect(["ok", "failed"]).toContain(inner.status);
          if (inner.status === "failed") expect(CODES.has(inner.error.code)).toBe(true);
          const v = validateSubsonicJson(method, body);
          expect(v.errors, `${method} ${q}`).toEqual([]);
        } else if (type.startsWith("application/xml")) {
          const text = await res.text();
          expect(text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<subsonic-response xmlns="http:\/\/subsonic\.org\/restapi" status="(ok|failed)"/);
        } else {
          expect(res.status === 200 || res.status === 206 || res.status === 404 || res.status === 416).toBe(true);
          await res.arrayBuffer();
        }
      }),
      { numRuns: Math.ceil(RUNS / 2), seed: SEED },
    );
  });

  it("answers authentication failures with the right codes", async () => {
    const run = async (params: Record<string, string>) => (await (await dispatchSubsonic("ping", new URLSearchParams({ v: "1.16.1", c: "t", f: "json", ...params }))).json())["subsonic-response"].error?.code;
    expect(await run({})).toBe(10);
    expect(await run({ u: "admin", p: "wrong" })).toBe(40);
    expect(await run({ u: "nobody", p: "x" })).toBe(40);
    expect(await run({ apiKey: "not-a-key" })).toBe(44);
    expect(await run({ u: "admin", p: "admin-pass", apiKey: "k" })).toBe(43);
    expect(await run({ u: "admin", p: "admin-pass" })).toBeUndefined();
  });
});
