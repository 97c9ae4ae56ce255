import { describe, expect, it } from "vitest";
import { clientIdFrom, DEFAULT_PREFS, HEARTBEAT_KEY, heartbeatMsFrom, loadPrefs, savePrefs, type KeyValueStore } from "./preferences";
import { streamParams, SubsonicCallError, SubsonicClient } from "./subsonic-client";

const memory = (): KeyValueStore & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
};

describe("player preferences", () => {
  it("creates the client id once and keeps it", () => {
    const store = memory();
    let n = 0;
    const make = () => `client-id-${++n}-abcdef`;
    const first = clientIdFrom(store, make);
    expect(clientIdFrom(store, make)).toBe(first);
    expect(n).toBe(1);
    store.setItem("tessitura.player.clientId", "<bad>");
    expect(clientIdFrom(store, make)).toBe("client-id-2-abcdef");
    // Without storage there is still an id (for this page).
    expect(clientIdFrom(null, make)).toBe("client-id-3-abcdef");
  });

  it("round-trips preferences and repairs garbled ones", () => {
    const store = memory();
    expect(loadPrefs(store)).toEqual(DEFAULT_PREFS);
    const prefs = { volume: 0.4, muted: true, repeat: "one" as const, shuffle: true, stream: { format: "opus" as const, maxBitRate: 128 } };
    savePrefs(store, prefs);
    expect(loadPrefs(store)).toEqual(prefs);
    store.setItem("tessitura.player.prefs", JSON.stringify({ volume: 7, repeat: "sometimes", stream: { format: "flac", maxBitRate: -1 } }));
    expect(loadPrefs(store)).toEqual(DEFAULT_PREFS);
    store.setItem("tessitura.player.prefs", "{not json");
    expect(loadPrefs(store)).toEqual(DEFAULT_PREFS);
    const throwing: KeyValueStore = { getItem: () => { throw new Error("denied"); }, setItem: () => { throw new Error("denied"); } };
    expect(loadPrefs(throwing)).toEqual(DEFAULT_PREFS);
    expect(() => savePrefs(throwing, prefs)).not.toThrow();
  });

  it("reads the heartbeat override only when it is sensible", () => {
    const store = memory();
    expect(heartbeatMsFrom(store, 30_000)).toBe(30_000);
    store.setItem(HEARTBEAT_KEY, "2000");
    expect(heartbeatMsFrom(store, 30_000)).toBe(2000);
    store.setItem(HEARTBEAT_KEY, "10");
    expect(heartbeatMsFrom(store, 30_000)).toBe(30_000);
  });
});

describe("SubsonicClient", () => {
  const creds = { username: "ann", salt: "abc", token: "tok", client: "Tessitura Web Player", version: "1.16.1" };

  it("builds token-authenticated URLs with repeated parameters and no password", () => {
    const url = new URL(new SubsonicClient(creds, "cid").url("savePlayQueue", { id: ["a", "b"], current: "b", position: 1200, skip: undefined }), "http://x");
    expect(url.pathname).toBe("/rest/savePlayQueue");
    expect(Object.fromEntries(["u", "t", "s", "v", "c", "f"].map((k) => [k, url.searchParams.get(k)]))).toEqual({ u: "ann", t: "tok", s: "abc", v: "1.16.1", c: "Tessitura Web Player", f: "json" });
    expect(url.searchParams.getAll("id")).toEqual(["a", "b"]);
    expect(url.searchParams.has("p")).toBe(false);
    expect(url.searchParams.has("skip")).toBe(false);
  });

  it("streams the original file by default and a transcode when asked", () => {
    expect(streamParams("x", { format: "raw", maxBitRate: 0 })).toEqual({ id: "x" });
    expect(streamParams("x", { format: "opus", maxBitRate: 96 })).toEqual({ id: "x", format: "opus", maxBitRate: 96 });
  });

  it("sends the client id header and turns failed answers into errors", async () => {
    const seen: Headers[] = [];
    const answer = (body: unknown) => async (_: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Headers(init?.headers));
      return new Response(JSON.stringify(body));
    };
    const ok = new SubsonicClient(creds, "browser-1", answer({ "subsonic-response": { status: "ok", song: { id: "s" } } }) as typeof fetch);
    expect(await ok.call("getSong", { id: "s" })).toMatchObject({ song: { id: "s" } });
    expect(seen[0].get("X-ND-Client-Unique-Id")).toBe("browser-1");
    const failed = new SubsonicClient(creds, "browser-1", answer({ "subsonic-response": { status: "failed", error: { code: 70, message: "Song not found" } } }) as typeof fetch);
    await expect(failed.call("getSong")).rejects.toEqual(new SubsonicCallError(70, "Song not found"));
    const html = new SubsonicClient(creds, "b", (async () => new Response("<html>", { status: 502 })) as typeof fetch);
    await expect(html.call("ping")).rejects.toThrow("ping: HTTP 502");
  });
});
