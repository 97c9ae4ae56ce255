import { describe, expect, it } from "vitest";
import { isHostAllowed } from "./host-patterns";

describe("isHostAllowed (Navidrome requiredHosts)", () => {
  it.each([
    [["api.example.com"], "api.example.com", true],
    [["*.example.com"], "a.b.example.com", true],
    [["*.example.com"], "example.com", false],
    [["*"], "anything", true],
    [["api.example.com"], "API.example.com", false],
    [["api.?xample.com"], "api.example.com", false],
    [[], "api.example.com", false],
  ])("%j admits %s: %s", (patterns, host, admitted) => expect(isHostAllowed(patterns, host)).toBe(admitted));
});
