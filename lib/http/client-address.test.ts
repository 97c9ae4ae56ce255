import { afterEach, describe, expect, it } from "vitest";
import { clientAddress, normalizeAddress, parseProxyList, PEER_FLAG, PEER_HEADER, UNKNOWN_ADDRESS, viaTrustedProxy } from "./client-address";

const flag = globalThis as Record<symbol, unknown>;
afterEach(() => {
  delete flag[PEER_FLAG];
});

const req = (headers: Record<string, string>) => new Request("http://x/", { headers });
const proxies = parseProxyList("10.0.0.1, 172.16.0.0/12, fd00::/8");
const none = parseProxyList("");

describe("clientAddress", () => {
  it("believes no header at all without the custom server (next dev): one unknown address", () => {
    expect(clientAddress(req({ [PEER_HEADER]: "203.0.113.1", "x-forwarded-for": "198.51.100.1" }), proxies)).toBe(UNKNOWN_ADDRESS);
  });

  it("takes the socket peer the server stamped, and ignores forwarding headers from an untrusted peer", () => {
    flag[PEER_FLAG] = true;
    expect(clientAddress(req({ [PEER_HEADER]: "::ffff:203.0.113.1", "x-forwarded-for": "198.51.100.1", "x-real-ip": "198.51.100.2" }), none)).toBe("203.0.113.1");
    expect(clientAddress(req({ [PEER_HEADER]: "203.0.113.1", "x-forwarded-for": "198.51.100.1" }), proxies)).toBe("203.0.113.1");
  });

  it("behind trusted proxies takes the right-most X-Forwarded-For entry that is not a proxy", () => {
    flag[PEER_FLAG] = true;
    // The client wrote "1.2.3.4"; the outer proxy (172.16.0.9) appended the real client, the inner one itself.
    expect(clientAddress(req({ [PEER_HEADER]: "10.0.0.1", "x-forwarded-for": "1.2.3.4, 198.51.100.7, 172.16.0.9" }), proxies)).toBe("198.51.100.7");
    expect(clientAddress(req({ [PEER_HEADER]: "10.0.0.1", "x-real-ip": "198.51.100.8" }), proxies)).toBe("198.51.100.8");
    expect(clientAddress(req({ [PEER_HEADER]: "10.0.0.1", "x-forwarded-for": "garbage, 172.16.0.9" }), proxies)).toBe("10.0.0.1");
    expect(clientAddress(req({ [PEER_HEADER]: "fd00::5", "x-forwarded-for": "2001:db8::1" }), proxies)).toBe("2001:db8::1");
  });

  it("says whether the request came through a trusted proxy", () => {
    flag[PEER_FLAG] = true;
    expect(viaTrustedProxy(req({ [PEER_HEADER]: "10.0.0.1" }), proxies)).toBe(true);
    expect(viaTrustedProxy(req({ [PEER_HEADER]: "10.0.0.2" }), proxies)).toBe(false);
  });
});

describe("normalizeAddress", () => {
  it.each([
    ["::ffff:10.1.2.3", "10.1.2.3"],
    ["[2001:DB8::1]", "2001:db8::1"],
    [" 10.0.0.1 ", "10.0.0.1"],
    ["local", null],
    ["", null],
  ])("%s → %s", (raw, want) => expect(normalizeAddress(raw)).toBe(want));
});
