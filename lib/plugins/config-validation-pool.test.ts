import { afterAll, describe, expect, it } from "vitest";
import { ConfigValidationPool } from "./config-validation-pool";
import { SchemaLimitError } from "./schema-limits";

const pools: ConfigValidationPool[] = [];
const pool = (opts = {}) => {
  const p = new ConfigValidationPool(opts);
  pools.push(p);
  return p;
};
afterAll(() => Promise.all(pools.map((p) => p.close())));

const slowSchema = { type: "object", properties: { code: { type: "string", pattern: "^\\d+\\d+\\d+x$" } } };

describe("ConfigValidationPool", () => {
  it("answers what the synchronous validator answers, in one reused worker", async () => {
    const p = pool();
    expect(await p.validate(slowSchema, { code: "123x" })).toEqual([]);
    expect(await p.validate(slowSchema, { code: 5 })).toEqual([{ field: "code", message: "must be string" }]);
    expect(await p.validate({ type: "object", required: ["a"] }, {})).toEqual([{ field: "a", message: "must have required property 'a'" }]);
    expect(p.stats).toMatchObject({ validated: 3, workersStarted: 1, timedOut: 0 });
  });

  it("refuses the static limits on the calling thread, before any worker starts", async () => {
    const p = pool();
    await expect(p.validate({ pattern: "(a+)+" }, "a")).rejects.toThrow(SchemaLimitError);
    await expect(p.validate({}, "x".repeat(1_100_000))).rejects.toThrow(/config too large/);
    expect(p.stats.workersStarted).toBe(0);
  });

  it("terminates a validation over its budget with a refusal naming it, and starts a new worker for the next", async () => {
    const p = pool({ timeoutMs: 300 });
    await p.validate(slowSchema, {});
    const slow = p.validate(slowSchema, { code: "1".repeat(3000) });
    const queued = p.validate(slowSchema, { code: "12x" });
    await expect(slow).rejects.toThrow(new SchemaLimitError("validating config: took longer than 300ms (the plugin's config schema may contain a slow pattern)"));
    expect(await queued).toEqual([{ field: "code", message: 'must match pattern "^\\d+\\d+\\d+x$"' }]);
    expect(p.stats).toMatchObject({ timedOut: 1, workersStarted: 2 });
  });

  it("refuses a validation that exhausts the worker's heap, and recovers", async () => {
    const p = pool({ maxHeapMb: 16 });
    // allErrors keeps one error object per failing item: ~300k of them overflow 16 MB.
    const many = Array.from({ length: 300_000 }, () => 1);
    await expect(p.validate({ type: "array", items: { type: "string" } }, many)).rejects.toThrow(/^validating config: needed more than 16 MB of memory$/);
    expect(await p.validate({ type: "array", items: { type: "string" } }, ["a"])).toEqual([]);
  });
});
