/**
 * Child process of the task-queue restart test (taskqueue-durability.test.ts), run with
 * `node scripts/run-ts.mjs`. It boots a whole server on the DataFolder and plugins
 * folder it is given, so a SIGKILL from the parent is a real crash of the process that
 * owns the task database.
 *
 *   enqueue <n> <collector-url>   configure and enable test-taskqueue, enqueue n tasks,
 *                                 printing "ID <task id>" per task, then "ENQUEUED"
 *   resume                        boot (the plugin loads and re-creates its queue), print
 *                                 "READY", run until stdin closes, then shut down cleanly
 *
 * Payloads: every 25th task is "fail", every 40th "fail-then-succeed", the others t<i>.
 */
import { writeSync } from "node:fs";
import { boot, shutdown } from "../../../server/boot";
import { pluginManager } from "../../index";

const ID = "test-taskqueue";
const [mode, count, collector] = process.argv.slice(2);
const say = (line: string) => writeSync(1, `${line}\n`); // synchronous: nothing is lost to a SIGKILL

export function payloadFor(i: number): string {
  if (i % 25 === 0) return "fail";
  if (i % 40 === 0) return "fail-then-succeed";
  return `t${i}`;
}

async function main() {
  await boot({
    ND_DATAFOLDER: process.env.ND_DATAFOLDER,
    ND_MUSICFOLDER: process.env.ND_MUSICFOLDER,
    ND_PLUGINS_FOLDER: process.env.ND_PLUGINS_FOLDER,
    ND_DEVAUTOCREATEADMINPASSWORD: "admin-pass",
    ND_LOGLEVEL: "error",
    ND_PLUGINS_LOGLEVEL: "warn",
    ND_SCANNER_SCANONSTARTUP: "false",
    // Ten executions may sit in a host call (the collector) while the enqueue loop still
    // needs a worker: more than the default pool of a small machine.
    ND_PLUGINS_WORKERS: "16",
  });
  const manager = pluginManager()!;
  if (mode === "enqueue") {
    const config = { collector, quiet: "true", init_queue: "work", init_queue_config: { concurrency: 10, maxRetries: 2, backoffMs: 20 } };
    await manager.saveSettings(ID, { config: JSON.stringify(config) });
    await manager.enable(ID);
    for (let i = 1; i <= Number(count); i++) {
      const request = JSON.stringify({ queueName: "work", payload: Buffer.from(payloadFor(i)).toString("base64") });
      const resp = JSON.parse((await manager.call<string>(ID, "nd_test_taskqueue", { fn: "task_enqueue", request }))!) as { result?: string; error?: string };
      if (!resp.result) throw new Error(`enqueue failed: ${resp.error}`);
      say(`ID ${resp.result}`);
    }
    say("ENQUEUED");
    await new Promise(() => undefined); // until killed
  }
  if (mode === "resume") {
    if (!manager.loadedPlugin(ID)) throw new Error("plugin not loaded after restart");
    say("READY");
    process.stdin.resume();
    await new Promise((r) => process.stdin.on("end", r));
    await shutdown();
    say("STOPPED");
    process.exit(0);
  }
}

main().catch((err) => {
  process.stderr.write(`child failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
