import { describe, expect, it } from "vitest";
import { canonicalHeaderKey } from "./headers";

describe("canonicalHeaderKey", () => {
  it.each([
    ["content-type", "Content-Type"],
    ["X-CUSTOM-header", "X-Custom-Header"],
    ["www-authenticate", "Www-Authenticate"],
    ["bad header", "bad header"],
  ])("%s → %s", (k, v) => expect(canonicalHeaderKey(k)).toBe(v));
});
