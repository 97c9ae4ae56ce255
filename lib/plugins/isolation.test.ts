import { copyFileSync, mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bootTestServer } from "../testing/boot-test-server";
import { pluginManager } from "./index";

// A server whose handlers call plugins the way route handlers do: one route runs a plugin
// stuck in an endless loop, another answers at once. The loop must not slow the other.
const built = path.join(import.meta.dirname, "../../build/plugins");
const pluginsFolder = mkdtempSync(path.join(tmpdir(), "tessitura-isolation-"));
let server: Server;
let base = "";

beforeAll(async () => {
  copyFileSync(path.join(built, "wat-loop.ndp"), path.join(pluginsFolder, "wat-loop.ndp"));
  copyFileSync(path.join(built, "wat-return-codes.ndp"), path.join(pluginsFolder, "wat-return-codes.ndp"));
  await bootTestServer({ ND_PLUGINS_FOLDER: pluginsFolder, ND_PLUGINS_CALLTIMEOUT: "2s" });
  const manager = pluginManager()!;
  await manager.enable("wat-loop");
  await manager.enable("wat-return-codes");
  server = createServer((req, res) => {
    if (req.url === "/loop")
      manager.call("wat-loop", "nd_get_artist_biography", { id: "1", name: "x" }).then(
        () => res.end("done"),
        (err: Error) => res.end(err.message),
      );
    else if (req.url === "/plugin")
      manager.call("wat-return-codes", "output_string", {}).then(
        (v) => res.end(JSON.stringify(v)),
        (err: Error) => res.end(err.message),
      );
    else res.end("pong");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function latencies(url: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await (await fetch(url)).text();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}
const p95 = (xs: number[]) => xs[Math.floor(xs.length * 0.95)];

it("keeps other requests at their normal latency while a plugin loops, then times it out and recovers", async () => {
  const before = await latencies(`${base}/ping`, 40);
  const beforePlugin = await latencies(`${base}/plugin`, 40);

  const started = performance.now();
  const looping = fetch(`${base}/loop`).then((r) => r.text());
  await new Promise((r) => setTimeout(r, 100)); // the loop is running now
  const during = await latencies(`${base}/ping`, 40);
  const duringPlugin = await latencies(`${base}/plugin`, 40);
  expect(performance.now() - started).toBeLessThan(2000); // all measured while the loop ran

  expect(await looping).toBe("plugin call failed: module closed with context deadline exceeded");
  // Normal latency: the loop adds no more than scheduling noise (2 cores shared with the loop).
  expect(p95(during)).toBeLessThan(p95(before) + 25);
  expect(p95(duringPlugin)).toBeLessThan(p95(beforePlugin) + 25);

  // The worker that looped was replaced: the plugin answers again.
  const after = await latencies(`${base}/plugin`, 5);
  expect(after.length).toBe(5);
  expect(await (await fetch(`${base}/plugin`)).text()).toBe('"hello"');
});
