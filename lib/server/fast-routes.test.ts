import { describe, expect, it } from "vitest";
import { handleSubsonic } from "../subsonic/dispatch";
import { fastRoute } from "./fast-routes";

describe("fastRoute", () => {
  it.each([
    "/rest/ping.view?u=a&p=b",
    "/rest/ping",
    "/rest/ping/",
    "/rest/getAlbum.view/?id=1",
    "/rest/a%2Fb?x",
    "/rest/ext", // one segment: a Subsonic method name (unknown), as the catch-all route reads it
  ])("answers %s with the Subsonic dispatcher", (url) => {
    for (const method of ["GET", "HEAD", "POST"]) expect(fastRoute(url, method)).toBe(handleSubsonic);
  });

  it.each([
    "/rest/ext/my-plugin/hook", // plugin endpoints: their own route, with their own headers
    "/rest/a/b",
    "/rest",
    "/rest/",
    "/rest/..",
    "/rest/.",
    "/rest/%2e%2E?x=1", // encoded dot segments: URL parsing resolves them, Next.js does
    "/restful/ping",
    "http://host/rest/ping.view", // absolute-form targets go to Next.js as they are
    "/health", // the trivial Next.js route the load bench compares with
    "/login",
  ])("leaves %s to Next.js", (url) => {
    expect(fastRoute(url, "GET")).toBeUndefined();
  });

  it("leaves other methods to Next.js (it answers 405)", () => {
    expect(fastRoute("/rest/ping.view", "PUT")).toBeUndefined();
    expect(fastRoute("/rest/ping.view", "DELETE")).toBeUndefined();
  });
});
