// A server process for fault-injection tests (lib/security/faults.security.test.ts): boots on
// the given data folder, does one kind of work, and reports progress on stdout so the parent
// knows when to kill it hard.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { db } from "../../db/client";
import { pluginManager } from "../../plugins";
import { scanStatus, startScan } from "../../scanner/scanner";
import { boot, shutdown } from "../../server/boot";
import { createUser } from "../../users/users";

const [mode, dataFolder, musicFolder, pluginsFolder] = process.argv.slice(2);
// Prisma's wasm query compiler does not keep Node alive while it works; this handle does.
setInterval(() => {}, 1 << 30);
const say = (line: string) => process.stdout.write(`${line}\n`);

await boot({
  ND_DATAFOLDER: dataFolder,
  ND_MUSICFOLDER: musicFolder,
  ND_PLUGINS_FOLDER: pluginsFolder,
  ND_SCANNER_SCANONSTARTUP: "false",
  ND_DEVAUTOCREATEADMINPASSWORD: "fault-pass",
  ND_LOGLEVEL: "error",
});

if (mode === "scan") {
  // Full scan; the parent kills us while it runs.
  const running = startScan({ full: true });
  const tick = setInterval(() => say(`progress ${scanStatus().changed}`), 20);
  await running;
  clearInterval(tick);
  say("scan done");
} else if (mode === "check") {
  const [integrity] = await db().$queryRawUnsafe<{ integrity_check: string }[]>("PRAGMA integrity_check");
  const mismatched = await db().$queryRawUnsafe<{ n: bigint }[]>(
    "SELECT COUNT(*) AS n FROM Album a WHERE a.songCount <> (SELECT COUNT(*) FROM MediaFile m WHERE m.albumId = a.id)",
  );
  const before = await db().mediaFile.count();
  await startScan();
  const after = await db().mediaFile.count();
  say(JSON.stringify({ integrity: integrity.integrity_check, albumMismatches: Number(mismatched[0].n), before, after, errors: scanStatus().errors.length }));
} else if (mode === "settings") {
  // Saves the plugin's config over and over, acknowledging each save once it returned.
  const manager = pluginManager()!;
  for (let i = 1; ; i++) {
    await manager.saveSettings("test-config", { config: JSON.stringify({ greeting: `Hi ${i}`, apiKey: "k", n: i }) });
    say(`saved ${i}`);
  }
} else if (mode === "read-settings") {
  const row = await db().plugin.findUniqueOrThrow({ where: { id: "test-config" } });
  say(JSON.stringify({ config: row.config }));
} else if (mode === "kvstore") {
  // Writes keys through a plugin's kvstore_set, acknowledging each once the call returned.
  const manager = pluginManager()!;
  await manager.enable("test-kvstore");
  const plugin = manager.loadedPlugin("test-kvstore")!;
  for (let i = 1; ; i++) {
    const req = `kvstore_set\n${JSON.stringify({ key: `k${i}`, value: Buffer.from(`v${i}`).toString("base64") })}`;
    const r = await plugin.module.call("nd_test_kvstore", new TextEncoder().encode(req));
    if (new TextDecoder().decode(r.output).includes("error")) throw new Error(new TextDecoder().decode(r.output));
    say(`set ${i}`);
  }
} else if (mode === "kvstore-check") {
  const { default: Database } = await import("better-sqlite3");
  const kv = new Database(path.join(dataFolder, "plugins", "test-kvstore", "kvstore.db"), { readonly: true });
  const integrity = (kv.prepare("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check;
  const keys = (kv.prepare("SELECT key FROM kvstore").all() as { key: string }[]).map((r) => Number(r.key.slice(1)));
  say(JSON.stringify({ integrity, count: keys.length, max: Math.max(0, ...keys) }));
} else if (mode === "disk-full") {
  // The data folder is on a tiny filesystem: fill it, then try to write.
  try {
    writeFileSync(path.join(dataFolder, "filler"), Buffer.alloc(64 * 1024 * 1024));
  } catch {
    // filled up to the last byte
  }
  try {
    for (let i = 0; i < 200; i++) await createUser({ userName: `user${i}-${"x".repeat(200)}`.slice(0, 60), password: "p".repeat(100) });
    say(JSON.stringify({ ok: true }));
  } catch (err) {
    const { describeStorageError } = await import("../../db/storage-errors");
    if (process.env.FAULT_DEBUG) console.error(err);
    say(JSON.stringify({ ok: false, message: describeStorageError(err) ?? (err as Error).message }));
  }
}
await shutdown().catch(() => undefined);
process.exit(0);
