import { describe, expect, it } from "vitest";
import { parseIdParam } from "./route-params";

describe("parseIdParam", () => {
  it("accepts positive 32-bit decimal integers", () => {
    expect(parseIdParam("1", "library")).toBe(1);
    expect(parseIdParam("2147483647", "library")).toBe(2147483647);
  });

  it("refuses everything else as INVALID_INPUT naming the id", () => {
    for (const bad of ["", "abc", "0", "-1", "1.5", "1e3", "0x10", " 1", "01", "2147483648", "99999999999999999999"])
      expect(() => parseIdParam(bad, "library"), bad).toThrow(expect.objectContaining({ code: "INVALID_INPUT", message: "invalid library id" }));
  });
});
