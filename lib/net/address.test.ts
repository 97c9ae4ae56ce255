import { describe, expect, it } from "vitest";
import { canonicalIp, isPublicAddress } from "./address";
import { addressGranted, readsSameHost } from "./policy";

describe("isPublicAddress", () => {
  it.each([
    ["8.8.8.8", true],
    ["93.184.215.14", true],
    ["2606:4700::1111", true],
    ["::ffff:8.8.8.8", true],
    ["2002:808:808::", true], // 6to4 of 8.8.8.8
    ["127.0.0.1", false],
    ["127.255.255.254", false],
    ["0.0.0.0", false],
    ["0.1.2.3", false],
    ["10.0.0.1", false],
    ["100.64.0.1", false],
    ["169.254.169.254", false],
    ["172.16.0.1", false],
    ["192.168.1.1", false],
    ["198.18.0.1", false],
    ["224.0.0.1", false],
    ["255.255.255.255", false],
    ["::", false],
    ["::1", false],
    ["::127.0.0.1", false], // IPv4-compatible
    ["::ffff:127.0.0.1", false],
    ["::ffff:7f00:1", false],
    ["::ffff:10.0.0.1", false],
    ["64:ff9b::7f00:1", false], // NAT64 of 127.0.0.1
    ["2002:7f00:1::", false], // 6to4 of 127.0.0.1
    ["2001::1", false], // Teredo
    ["fc00::1", false],
    ["fe80::1", false],
    ["fe80::1%eth0", false],
    ["fec0::1", false],
    ["ff02::1", false],
    ["localhost", false],
    ["2130706433", false], // not an address at all: names are never "public addresses"
  ])("%s → %s", (ip, pub) => expect(isPublicAddress(ip)).toBe(pub));
});

describe("canonicalIp", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["::ffff:127.0.0.1", "::ffff:7f00:1"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["example.com", null],
  ])("%s → %s", (ip, canonical) => expect(canonicalIp(ip)).toBe(canonical));
});

describe("addressGranted", () => {
  const list = (...patterns: string[]) => (h: string) => patterns.includes(h) || patterns.includes("*");
  it("admits public addresses, and others only when the grant names the address itself", () => {
    expect(addressGranted("8.8.8.8", null)).toBe(true);
    expect(addressGranted("127.0.0.1", null)).toBe(false);
    expect(addressGranted("127.0.0.1", list("localhost", "api.test"))).toBe(false);
    expect(addressGranted("127.0.0.1", list("127.0.0.1"))).toBe(true);
    expect(addressGranted("0:0:0:0:0:0:0:1", list("::1"))).toBe(true);
    expect(addressGranted("10.0.0.1", list("*"))).toBe(true);
  });
});

describe("readsSameHost", () => {
  it("agrees on case, IDNA and IP spellings, not on a different host", () => {
    expect(readsSameHost(new URL("ws://example.com/"), "EXAMPLE.com")).toBe(true);
    expect(readsSameHost(new URL("http://127.0.0.1/"), "0x7f.1")).toBe(true);
    expect(readsSameHost(new URL("http://[::1]/"), "::1")).toBe(true);
    expect(readsSameHost(new URL("ws://127.0.0.1:1\\@example.com/"), "example.com")).toBe(false);
  });
});
