import { describe, expect, it } from "vitest";
import { parseHostOverrides } from "./host-overrides";

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
