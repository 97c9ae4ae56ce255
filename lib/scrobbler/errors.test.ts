import { describe, expect, it } from "vitest";
import { FunctionNotFoundError, NotImplementedError, PluginCallError } from "../plugins/errors";
import { backoffDelay, DEFAULT_RETRY } from "./buffered-delivery";
import { toScrobblerError } from "./errors";

describe("toScrobblerError", () => {
  it.each([
    ["plugin call failed: scrobbler(not_authorized): token expired", "not_authorized"],
    ["plugin call failed: scrobbler(retry_later): rate limited", "retry_later"],
    ["plugin call failed: scrobbler(unrecoverable): bad track", "unrecoverable"],
    // The first token in the contract's order wins, wherever it appears.
    ["plugin call failed: upstream said scrobbler(retry_later) then scrobbler(not_authorized)", "not_authorized"],
    ["plugin call failed: timeout", "unrecoverable"],
    ["plugin call exited with code 4294967295", "unrecoverable"],
  ])("%s → %s", (message, kind) => {
    expect(toScrobblerError(new PluginCallError(message)).kind).toBe(kind);
  });

  it("treats the missing-export and not-implemented sentinels as unrecoverable", () => {
    expect(toScrobblerError(new FunctionNotFoundError("nd_scrobbler_scrobble")).kind).toBe("unrecoverable");
    expect(toScrobblerError(new NotImplementedError("nd_scrobbler_scrobble")).kind).toBe("unrecoverable");
  });
});

describe("backoffDelay", () => {
  it("doubles from 5 s and stops at 4 min", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelay(n, DEFAULT_RETRY) / 1000)).toEqual([5, 10, 20, 40, 80, 160, 240, 240, 240]);
  });
});
