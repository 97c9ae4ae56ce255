import { describe, expect, it } from "vitest";
import { extractHostname, parseGoUrl } from "./go-url";

describe("extractHostname", () => {
  it.each([
    ["api.example.com", "api.example.com"],
    ["api.example.com:8080", "api.example.com"],
    ["api.example.com:", "api.example.com"],
    ["[::1]:80", "::1"],
    ["[::1]", "::1"],
    ["10.0.0.5", "10.0.0.5"],
  ])("%s → %s", (host, hostname) => expect(extractHostname(host)).toBe(hostname));
});

describe("parseGoUrl", () => {
  it.each([
    ["https://user:pw@API.example.com:8443/p?q#f", "https", "API.example.com:8443"],
    ["HTTP://h/", "http", "h"],
    ["http://[::1]:80/", "http", "[::1]:80"],
    ["example.com/x", "", ""],
    ["mailto:a@b", "mailto", ""],
  ])("%s → scheme %s, host %s", (raw, scheme, host) => expect(parseGoUrl(raw)).toEqual({ scheme, host }));

  it("fails like url.Parse", () => {
    expect(() => parseGoUrl("http://h:x/")).toThrow('invalid URL: parse "http://h:x/": invalid port ":x" after host');
    expect(() => parseGoUrl("http://h/\n")).toThrow("net/url: invalid control character in URL");
    expect(() => parseGoUrl("://h")).toThrow("missing protocol scheme");
    expect(() => parseGoUrl("http://exa%6Dple.com/")).toThrow('invalid URL: parse "http://exa%6Dple.com/": invalid URL escape "%6D"');
    expect(parseGoUrl("http://b%C3%BCcher.de/").host).toBe("bücher.de");
  });
});
