import path from "node:path";
import { describe, expect, it } from "vitest";
import { runNdp } from "./cli-process";

// `ndp run` answers the ScrobbleRetriever functions without a database: an empty history for
// each --user, the server's "not found" error for anyone else.
const pkg = path.resolve(import.meta.dirname, "../../build/plugins/test-scrobble-retriever.ndp");

describe("ndp run with the scrobbleRetriever permission", () => {
  it("walks an empty history of a --user, and refuses an unknown name with the server's text", async () => {
    const known = await runNdp(["run", pkg, "nd_read_history", '{"username":"Ada","options":{"maxItems":2}}', "--user", "ada"], { cwd: path.dirname(pkg) });
    expect(known.code, known.stderr).toBe(0);
    expect(JSON.parse(known.stdout)).toEqual({ pages: [[]], times: [[]], requests: ['{"maxItems":2}'] });

    const unknown = await runNdp(["run", pkg, "nd_read_history", '{"username":"bob"}', "--user", "ada"], { cwd: path.dirname(pkg) });
    expect(unknown.code, unknown.stderr).toBe(0);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ pages: [], error: 'scrobbleRetriever: user "bob" not found' });
  }, 60_000);
});
