import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { copyFileSync, mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { payloadFor } from "./testing/taskqueue-durability-child";

/**
 * Restart durability (issue 8): a server enqueues 1 000 tasks and is killed with SIGKILL
 * while they run; a second server on the same DataFolder finishes them. Every task must
 * end completed (or failed after its retries), none lost, none completed twice, and no
 * attempt executed twice. Each execution reports to an HTTP collector before it returns.
 */
const root = path.resolve(import.meta.dirname, "../../..");
const TASKS = 1000;
const KILL_AFTER_EXECUTIONS = 300;
const CONCURRENCY = 10;

interface Execution {
  task: string;
  attempt: number;
  payload: string;
}

const children: ChildProcessWithoutNullStreams[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

function startChild(args: string[], env: Record<string, string>, onLine: (line: string) => void): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [path.join(root, "scripts/run-ts.mjs"), path.join(import.meta.dirname, "testing/taskqueue-durability-child.ts"), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
  });
  children.push(child);
  let buffered = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    for (let i = buffered.indexOf("\n"); i >= 0; i = buffered.indexOf("\n")) {
      onLine(buffered.slice(0, i));
      buffered = buffered.slice(i + 1);
    }
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  child.on("exit", (code, signal) => {
    if (code && code !== 0) onLine(`EXIT ${code} ${signal} ${stderr.slice(-2000)}`);
  });
  return child;
}

const until = (what: string, check: () => boolean, timeoutMs: number) =>
  new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });

describe("task queue durability across a hard kill (contract §4.6)", () => {
  it("completes every one of 1000 tasks exactly once, or fails it after its retries", { timeout: 180_000 }, async () => {
    const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-durability-"));
    const pluginsFolder = mkdtempSync(path.join(tmpdir(), "tessitura-plugins-"));
    copyFileSync(path.join(root, "build/plugins/test-taskqueue.ndp"), path.join(pluginsFolder, "test-taskqueue.ndp"));
    const env = { ND_DATAFOLDER: dataFolder, ND_MUSICFOLDER: path.join(dataFolder, "music"), ND_PLUGINS_FOLDER: pluginsFolder };

    // The collector holds executions until every task is enqueued, so the kill lands
    // while tasks are running, never during the enqueue loop.
    const executions: Execution[] = [];
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    const server: Server = createServer(async (req, res) => {
      const q = new URL(req.url!, "http://x").searchParams;
      await released;
      executions.push({ task: q.get("task")!, attempt: Number(q.get("attempt")), payload: q.get("payload")! });
      setTimeout(() => res.end("ok"), 3);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const collector = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;

    try {
      // Run 1: enqueue, let ~300 executions happen, then SIGKILL.
      const ids: string[] = [];
      let enqueued = false;
      let failure = "";
      const first = startChild(["enqueue", String(TASKS), collector], env, (line) => {
        if (line.startsWith("ID ")) ids.push(line.slice(3));
        else if (line === "ENQUEUED") enqueued = true;
        else if (line.startsWith("EXIT")) failure = line;
      });
      await until("the enqueue run", () => enqueued || failure !== "", 90_000);
      expect(failure).toBe("");
      release();
      await until(`${KILL_AFTER_EXECUTIONS} executions`, () => executions.length >= KILL_AFTER_EXECUTIONS, 60_000);
      first.kill("SIGKILL");
      await new Promise((r) => first.once("exit", r));
      const beforeRestart = executions.length;
      expect(beforeRestart).toBeLessThan(TASKS);

      // Run 2: same DataFolder; the plugin reloads, re-creates its queue, finishes the rest.
      let ready = false;
      let stopped = false;
      const second = startChild(["resume"], env, (line) => {
        if (line === "READY") ready = true;
        else if (line === "STOPPED") stopped = true;
        else if (line.startsWith("EXIT")) failure = line;
      });
      await until("the restarted server", () => ready || failure !== "", 90_000);
      expect(failure).toBe("");
      const db = new Database(path.join(dataFolder, "plugins", "test-taskqueue", "taskqueue.db"), { readonly: true });
      const open = db.prepare("SELECT COUNT(*) AS n FROM tasks WHERE status IN ('pending', 'running')");
      await until("every task to settle", () => (open.get() as { n: number }).n === 0, 90_000);
      second.stdin.end();
      await until("a clean shutdown", () => stopped || failure !== "", 30_000);
      const rows = db.prepare("SELECT id, status, attempt, message FROM tasks").all() as { id: string; status: string; attempt: number; message: string }[];
      db.close();

      // None lost, none invented.
      expect(new Set(ids).size).toBe(TASKS);
      expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());

      const byTask = new Map<string, Execution[]>();
      for (const e of executions) byTask.set(e.task, [...(byTask.get(e.task) ?? []), e]);
      let rerunAfterCrash = 0;
      for (const [i, id] of ids.entries()) {
        const row = rows.find((r) => r.id === id)!;
        const payload = payloadFor(i + 1);
        const seen = (byTask.get(id) ?? []).map((e) => e.attempt).sort((a, b) => a - b);
        // No attempt ran twice, and nothing ran after the attempt that settled the task.
        expect(new Set(seen).size).toBe(seen.length);
        expect(Math.max(...seen)).toBe(row.attempt);
        if (payload === "fail") {
          expect(row).toMatchObject({ status: "failed", attempt: 3, message: "plugin call failed: task failed: fail" });
        } else {
          expect(row).toMatchObject({ status: "completed", message: `done ${payload} #${row.attempt}` });
          const planned = payload === "fail-then-succeed" ? 2 : 1;
          // An attempt beyond the planned ones was interrupted by the kill.
          if (row.attempt > planned) rerunAfterCrash++;
        }
      }
      // Only tasks that were running at the moment of the kill are re-run.
      expect(rerunAfterCrash).toBeLessThanOrEqual(CONCURRENCY);
      console.log(`durability: ${beforeRestart} executions before the kill, ${executions.length} in total, ${rerunAfterCrash} task(s) re-run after the crash`);
    } finally {
      server.close();
    }
  });
});
