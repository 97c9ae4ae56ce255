import { describe, expect, it } from "vitest";
import { SUBSONIC_PATH_HEADER as DISPATCH_HEADER } from "../lib/subsonic/dispatch";
import { routeSubsonic, SUBSONIC_PATH_HEADER } from "./server.mjs";

/** A request as node:http hands it over: `url` as sent, headers lower-cased and raw. */
function req(url: string, headers: Record<string, string> = {}) {
  return { url, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), rawHeaders: Object.entries(headers).flat() };
}

describe("routeSubsonic (scripts/server.mjs)", () => {
  it("names the same header as the dispatcher reads", () => {
    expect(SUBSONIC_PATH_HEADER).toBe(DISPATCH_HEADER);
  });

  it.each([
    ["/rest/ping.view?u=a&p=b", "/rest?u=a&p=b", "/rest/ping.view"],
    ["/rest/ping", "/rest", "/rest/ping"],
    ["/rest/ping/", "/rest", "/rest/ping/"],
    ["/rest/getAlbum.view/?id=1", "/rest?id=1", "/rest/getAlbum.view/"],
    ["/rest/a%2Fb?x", "/rest?x", "/rest/a%2Fb"],
    ["/rest/ext", "/rest", "/rest/ext"],
  ])("sends %s to the static route as %s, the path in the header", (url, to, path) => {
    const r = req(url);
    routeSubsonic(r);
    expect(r.url).toBe(to);
    expect(r.headers[SUBSONIC_PATH_HEADER]).toBe(path);
    expect(r.rawHeaders).toEqual([SUBSONIC_PATH_HEADER, path]);
  });

  it.each([
    "/rest/ext/my-plugin/hook", // plugin endpoints: more than one segment
    "/rest/a/b",
    "/rest",
    "/rest/",
    "/rest/..",
    "/rest/.",
    "/rest/%2e%2E?x=1", // encoded dot segments: URL parsing resolves them
    "/restful/ping",
    "http://host/rest/ping.view", // absolute-form targets go to Next.js as they are
  ])("leaves %s alone", (url) => {
    const r = req(url);
    routeSubsonic(r);
    expect(r.url).toBe(url);
    expect(r.headers[SUBSONIC_PATH_HEADER]).toBeUndefined();
  });

  it("drops a client-sent header, whatever its case, and replaces it with the real path", () => {
    const forged = req("/rest/ping.view", { "X-Tessitura-Subsonic-Path": "/rest/getUsers.view", Host: "h" });
    routeSubsonic(forged);
    expect(forged.headers[SUBSONIC_PATH_HEADER]).toBe("/rest/ping.view");
    expect(forged.rawHeaders).toEqual(["Host", "h", SUBSONIC_PATH_HEADER, "/rest/ping.view"]);
    const bare = req("/rest?u=a", { "x-tessitura-subsonic-path": "/rest/getUsers.view" });
    routeSubsonic(bare);
    expect(bare.headers[SUBSONIC_PATH_HEADER]).toBeUndefined();
    expect(bare.rawHeaders).toEqual([]);
  });
});
