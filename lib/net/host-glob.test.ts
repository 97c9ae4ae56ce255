import { describe, expect, it } from "vitest";
import { isHostGlobAllowed } from "./host-glob";

describe("isHostGlobAllowed (Extism allowed_hosts)", () => {
  it.each([
    [["api.example.com"], "api.example.com", true],
    [["*.example.com"], "a.b.example.com", true],
    [["*.example.com"], "example.com", false],
    [["*"], "127.0.0.1", true],
    [["127.0.0.?"], "127.0.0.2", true],
    [["127.0.0.?"], "127.0.0.12", false],
    [["{a,b}.example.com"], "b.example.com", true],
    [["[ab].example.com"], "c.example.com", false],
    [["[!ab].example.com"], "c.example.com", true],
    [["api.example.com"], "apixexample.com", false],
    [["[invalid"], "[invalid", true],
    [["[z-a]"], "q", false],
    [[], "api.example.com", false],
  ])("%j admits %s: %s", (patterns, host, admitted) => expect(isHostGlobAllowed(patterns, host)).toBe(admitted));
});
