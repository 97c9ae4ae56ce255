import { describe, expect, it } from "vitest";
import { handleSubsonic, methodName, splitRequestUrl } from "./dispatch";

/** What WHATWG URL parsing says of the same serialised URL: the reading splitRequestUrl must match. */
function parsed(href: string) {
  const u = new URL(href);
  return { pathname: u.pathname, query: u.search.slice(1) };
}

/** A small seeded generator (mulberry32), so a failure names the URL it found and reruns alike. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("splitRequestUrl", () => {
  // Request.url is always a serialised URL; each case is serialised first, as undici does.
  const cases = [
    "http://127.0.0.1:4533/rest/ping.view?u=admin&t=abc&s=def&f=json",
    "http://example.com/rest/ping",
    "http://example.com",
    "http://example.com?u=a",
    "http://example.com/?",
    "http://example.com/rest/getAlbum.view?id=1#frag?not=query",
    "http://example.com/rest/getAlbum.view#only-a-fragment",
    "http://user:p%3Fss@example.com:8080/a/b/../c/./ping.view?x=%2F&y=?z",
    "http://[::1]:4533/rest/search3.view?query=caf%C3%A9+%26+co&f=xml",
    "https://host.example/rest/ping.view?q=a//b&r=http://x/y",
    "http://host/rest/ping%2Eview?",
    "http://host/rest/%E2%9C%93/ping.view?a=1&a=2",
    "http://host/rest/ping.view/?u=x",
    "http://host\\rest\\ping.view?x=1",
  ];
  it.each(cases)("reads %s as URL does", (raw) => {
    const href = new URL(raw).href;
    expect(splitRequestUrl(href)).toEqual(parsed(href));
  });

  it("agrees with URL on random serialised URLs", () => {
    const next = rng(18);
    const alphabet = ["a", "Z", "0", "/", "?", "#", "&", "=", "%20", "%2F", ".", "..", "é", "✓", ":", "@", "+", "//", " "];
    const piece = (n: number) => Array.from({ length: Math.floor(next() * n) }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
    const hosts = ["127.0.0.1:4533", "[::1]", "example.com", "u:p@h.example:80"];
    for (let i = 0; i < 2000; i++) {
      let href: string;
      try {
        href = new URL(`http${next() < 0.5 ? "s" : ""}://${hosts[i % hosts.length]}/${piece(12)}`).href;
      } catch {
        continue; // not a URL at all: never a Request's url
      }
      expect(splitRequestUrl(href), href).toEqual(parsed(href));
    }
  });
});

describe("methodName", () => {
  it.each([
    ["/rest/ping.view", "ping"],
    ["/rest/ping", "ping"],
    ["/rest/getAlbum.view/", "getAlbum"],
    ["/rest/getAlbum//", "getAlbum"],
    ["/rest/x/getAlbum.view", "getAlbum"],
    ["/rest/.view", ""],
  ])("%s → %s", (path, name) => {
    expect(methodName(path)).toBe(name);
  });
});

describe("handleSubsonic", () => {
  // getOpenSubsonicExtensions needs no credentials; any other method asks for them first.
  const answer = async (url: string) => (await (await handleSubsonic(new Request(url))).json())["subsonic-response"];

  it("calls the method the path names, with or without .view and a trailing slash", async () => {
    for (const path of ["/rest/getOpenSubsonicExtensions.view", "/rest/getOpenSubsonicExtensions", "/rest/getOpenSubsonicExtensions.view/"]) {
      const doc = await answer(`http://h${path}?f=json`);
      expect(doc.status, path).toBe("ok");
      expect(doc.openSubsonicExtensions, path).toBeDefined();
    }
  });

  it("reads the parameters from the query only: a fragment's are not parameters", async () => {
    const res = await handleSubsonic(new Request("http://h/rest/getOpenSubsonicExtensions.view#?f=json"));
    expect(res.headers.get("content-type")).toContain("application/xml");
  });
});
