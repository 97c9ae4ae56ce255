import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { FAST_PATH as LIB_FAST_PATH } from "../lib/http/fast-path";
import { FAST_PATH, withFastPath } from "./server.mjs";

const globals = globalThis as Record<symbol, unknown>;
const req = { url: "/rest/ping.view", method: "GET" } as IncomingMessage;
const res = {} as ServerResponse;

describe("withFastPath (scripts/server.mjs)", () => {
  const saved = globals[FAST_PATH];
  afterEach(() => {
    globals[FAST_PATH] = saved;
  });

  it("names the same symbol as lib/http/fast-path.ts", () => {
    expect(FAST_PATH).toBe(LIB_FAST_PATH);
  });

  it("hands every request to Next.js while no fast path is registered", async () => {
    delete globals[FAST_PATH];
    const seen: string[] = [];
    await withFastPath(async (r: IncomingMessage) => void seen.push(r.url!))(req, res);
    expect(seen).toEqual(["/rest/ping.view"]);
  });

  it("lets the fast path answer what it takes, and Next.js the rest", async () => {
    const fast: string[] = [];
    const next: string[] = [];
    globals[FAST_PATH] = (r: IncomingMessage) => (r.url!.startsWith("/rest/") ? Promise.resolve(void fast.push(r.url!)) : undefined);
    const serve = withFastPath(async (r: IncomingMessage) => void next.push(r.url!));
    await serve(req, res);
    await serve({ url: "/login", method: "GET" } as IncomingMessage, res);
    expect(fast).toEqual(["/rest/ping.view"]);
    expect(next).toEqual(["/login"]);
  });
});
