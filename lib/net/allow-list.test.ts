import { describe, expect, it } from "vitest";
import { checkHost, checkResolvedAddress, DEFAULT_PRIVATE_HINT, isPrivateAddress } from "./allow-list";

/** The plugin host's wording (lib/plugins/host/http.ts), passed in as it passes it. */
const HINT = "private/loopback addresses require explicit requiredHosts in manifest";

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
  const refuse = (host: string, list: string[]) => () => checkHost(host, list, HINT);
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
    expect(() => checkResolvedAddress("nas.example.net", "192.168.1.10", [], HINT)).toThrow(
      'host "nas.example.net" is not allowed: it resolves to 192.168.1.10; private/loopback addresses require explicit requiredHosts in manifest',
    );
    // A listed name is not a grant of whatever it resolves (or rebinds) to.
    expect(() => checkResolvedAddress("nas.example.net", "192.168.1.10", ["nas.example.net"])).toThrow("it resolves to 192.168.1.10");
    expect(() => checkResolvedAddress("nas.example.net", "192.168.1.10", ["nas.example.net", "192.168.1.10"])).not.toThrow();
    expect(() => checkResolvedAddress("nas.example.net", "192.168.1.10", ["*"])).not.toThrow();
    expect(() => checkResolvedAddress("www.example.net", "93.184.215.14", ["www.example.net"])).not.toThrow();
    expect(() => checkResolvedAddress("www.example.net", "93.184.215.14", [])).not.toThrow();
  });

  it("ends private-address refusals with a neutral hint unless the caller passes its own", () => {
    expect(() => checkHost("127.0.0.1", [])).toThrow(`host "127.0.0.1" is not allowed: ${DEFAULT_PRIVATE_HINT}`);
    expect(() => checkResolvedAddress("nas.example.net", "10.0.0.1", [])).toThrow(`it resolves to 10.0.0.1; ${DEFAULT_PRIVATE_HINT}`);
  });
});
