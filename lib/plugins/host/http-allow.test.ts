import { describe, expect, it } from "vitest";
import { checkHost, checkResolvedAddress, extractHostname, isPrivateAddress, parseGoUrl, parseHostOverrides } from "./http-allow";
import { canonicalHeaderKey } from "./http-client";

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

describe("isPrivateAddress (Go's IsLoopback/IsPrivate/IsLinkLocal*)", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.255.0.9", true],
    ["10.1.2.3", true],
    ["172.16.0.1", true],
    ["172.31.255.255", true],
    ["172.32.0.1", false],
    ["192.168.0.1", true],
    ["169.254.169.254", true],
    ["224.0.0.251", true],
    ["224.0.1.1", false],
    ["0.0.0.0", false],
    ["8.8.8.8", false],
    ["::1", true],
    ["::", false],
    ["fc00::1", true],
    ["fdff::1", true],
    ["fe80::1", true],
    ["febf::1", true],
    ["fec0::1", false],
    ["ff02::1", true],
    ["ff05::1", false],
    ["::ffff:127.0.0.1", true],
    ["::ffff:192.168.1.1", true],
    ["::ffff:8.8.8.8", false],
    ["2001:db8::1", false],
    ["localhost", false],
    ["example.com", false],
  ])("%s → %s", (ip, blocked) => expect(isPrivateAddress(ip)).toBe(blocked));
});

describe("checkHost", () => {
  const refuse = (host: string, list: string[]) => () => checkHost(host, list);
  it("applies requiredHosts patterns to the hostname, quoting the host with its port", () => {
    expect(refuse("api.example.com:443", ["api.example.com"])).not.toThrow();
    expect(refuse("a.b.example.com", ["*.example.com"])).not.toThrow();
    expect(refuse("example.com", ["*.example.com"])).toThrow('host "example.com" is not allowed');
    expect(refuse("Api.example.com", ["api.example.com"])).toThrow('host "Api.example.com" is not allowed');
    expect(refuse("10.0.0.5:80", ["10.0.0.5"])).not.toThrow();
    expect(refuse("anything:1", ["*"])).not.toThrow();
    expect(refuse("api.example.com:8080", ["api.example.com:8080"])).toThrow('host "api.example.com:8080" is not allowed');
  });

  it("without requiredHosts refuses localhost and private literals only", () => {
    expect(refuse("LOCALHOST:3000", [])).toThrow('host "LOCALHOST:3000" is not allowed: private/loopback addresses require explicit requiredHosts in manifest');
    expect(refuse("[fe80::1]:80", [])).toThrow('host "[fe80::1]:80" is not allowed');
    expect(refuse("intranet.local", [])).not.toThrow();
    expect(refuse("8.8.8.8", [])).not.toThrow();
  });

  // Navidrome lets these through; each reaches the local host (Tessitura refuses them).
  it.each(["0.0.0.0", "[::]:80", "[::127.0.0.1]", "[::ffff:7f00:1]", "100.64.0.1", "[64:ff9b::a00:1]", "[2002:7f00:1::]"])("without requiredHosts refuses the non-public literal %s", (host) => {
    expect(refuse(host, [])).toThrow(`host "${host}" is not allowed: private/loopback addresses require explicit requiredHosts in manifest`);
  });

  it("admits a non-public resolved address only when requiredHosts names the address itself", () => {
    expect(() => checkResolvedAddress("nas.example.net", "192.168.1.10", [])).toThrow(
      'host "nas.example.net" is not allowed: it resolves to 192.168.1.10; private/loopback addresses require explicit requiredHosts in manifest',
    );
    // A listed name is not a grant of whatever it resolves (or rebinds) to.
    expect(() => checkResolvedAddress("nas.example.net", "192.168.1.10", ["nas.example.net"])).toThrow("it resolves to 192.168.1.10");
    expect(() => checkResolvedAddress("nas.example.net", "192.168.1.10", ["nas.example.net", "192.168.1.10"])).not.toThrow();
    expect(() => checkResolvedAddress("nas.example.net", "192.168.1.10", ["*"])).not.toThrow();
    expect(() => checkResolvedAddress("www.example.net", "93.184.215.14", ["www.example.net"])).not.toThrow();
    expect(() => checkResolvedAddress("www.example.net", "93.184.215.14", [])).not.toThrow();
  });
});

describe("parseHostOverrides", () => {
  it("reads name=address[:port] entries, case-insensitively", () => {
    const m = parseHostOverrides(" API.example.com=127.0.0.1:8080, v6.example.com=[::1]:9000,bare.example.com=10.0.0.2 ");
    expect(Object.fromEntries(m)).toEqual({
      "api.example.com": { address: "127.0.0.1", port: 8080 },
      "v6.example.com": { address: "::1", port: 9000 },
      "bare.example.com": { address: "10.0.0.2", port: undefined },
    });
    expect(parseHostOverrides(undefined).size).toBe(0);
  });

  it.each(["api.example.com", "api.example.com=localhost:80", "api.example.com=127.0.0.1:99999", "=127.0.0.1"])("refuses %s", (text) =>
    expect(() => parseHostOverrides(text)).toThrow("invalid TESSITURA_HTTP_HOST_OVERRIDES entry"),
  );
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

describe("canonicalHeaderKey", () => {
  it.each([
    ["content-type", "Content-Type"],
    ["X-CUSTOM-header", "X-Custom-Header"],
    ["www-authenticate", "Www-Authenticate"],
    ["bad header", "bad header"],
  ])("%s → %s", (k, v) => expect(canonicalHeaderKey(k)).toBe(v));
});
