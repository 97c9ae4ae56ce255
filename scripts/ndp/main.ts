import "./log"; // first: the host's own log lines go to stderr, errors only
import path from "node:path";
import { Engine } from "@/lib/plugins/engine";
import { parseCommandLine, UsageError, USAGE, type Command } from "./args";
import { BuildError, buildPlugin } from "./build";
import { buildCatalog, CatalogBuildError, formatCatalogResult } from "./catalog";
import { keygen, SignError, signCatalogFile } from "./sign";
import { formatReport, inspectFile } from "./inspect";
import { formatRun, RunError, runPlugin } from "./run";
import { initPlugin } from "./scaffold";
import { formatValidation, validateFile } from "./validate";

export interface Io {
  json: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function withEngine<T>(use: (engine: Engine) => Promise<T>): Promise<T> {
  // Two workers are plenty for one plugin and its callbacks; no compile cache for a one-off run.
  const engine = new Engine({ workers: 2 });
  try {
    return await use(engine);
  } finally {
    await engine.close();
  }
}

async function execute(command: Command, io: Io): Promise<number> {
  const emit = (value: unknown, text: string) => io.out(io.json ? JSON.stringify(value, null, 2) : text);
  switch (command.name) {
    case "init": {
      const r = initPlugin(command, io.cwd, io.env);
      const rel = path.relative(io.cwd, r.dir) || ".";
      emit(r, [
        `Created ${rel}/ (${r.files.join(", ")})`,
        `  capabilities: ${r.capabilities.join(", ")}`,
        `  permissions: ${r.permissions.join(", ") || "none"}`,
        "Next:",
        `  npx ndp build ${rel}`,
        `  npx ndp validate ${rel}/dist/${r.id}.ndp`,
        `  npx ndp run ${rel}/dist/${r.id}.ndp <export> '<json input>'`,
      ].join("\n"));
      return 0;
    }
    case "build": {
      const r = await buildPlugin(command.dir, { cwd: io.cwd, out: command.out, id: command.id });
      emit(r, `Built ${path.relative(io.cwd, r.package) || r.package} (${kib(r.packageBytes)}; plugin.wasm ${kib(r.wasmBytes)}) — plugin id ${r.id}`);
      return 0;
    }
    case "validate":
      return withEngine(async (engine) => {
        const r = await validateFile(path.resolve(io.cwd, command.file), { engine });
        emit(r, formatValidation(r));
        return r.ok ? 0 : 1;
      });
    case "inspect": {
      const r = await inspectFile(path.resolve(io.cwd, command.file));
      emit(r, formatReport(r));
      return r.imports.every((i) => i.available) ? 0 : 1;
    }
    case "catalog": {
      const r = await buildCatalog({ folder: path.resolve(io.cwd, command.folder), out: path.resolve(io.cwd, command.out), baseUrl: command.baseUrl, name: command.catalogName, keyFile: command.keyFile && path.resolve(io.cwd, command.keyFile) });
      emit(r, formatCatalogResult(r, io.cwd));
      return 0;
    }
    case "sign": {
      const r = signCatalogFile(path.resolve(io.cwd, command.file), path.resolve(io.cwd, command.keyFile), command.out && path.resolve(io.cwd, command.out));
      emit(r, `Signed ${r.signed} version(s) in ${path.relative(io.cwd, r.file) || r.file} with key ${r.keyId}${r.checked ? ` (${r.checked} package file(s) checked)` : ""}`);
      return 0;
    }
    case "keygen": {
      const r = keygen(path.resolve(io.cwd, command.out), command.force);
      emit(r, [
        `Wrote ${path.relative(io.cwd, r.privateKeyFile)} (private: keep it secret) and ${path.relative(io.cwd, r.publicKeyFile)}`,
        `Key id: ${r.keyId}`,
        `Public key (admins add it to Plugins.TrustedKeys): ${r.publicKey}`,
      ].join("\n"));
      return 0;
    }
    case "run":
      return withEngine(async (engine) => {
        const serving = (url: string) => io.err(`serving ${url} (and /rest${new URL(url).pathname}); Ctrl-C to stop`);
        const r = await runPlugin(command, engine, { cwd: io.cwd, live: io.json ? undefined : io.err, serving });
        if (io.json) io.out(JSON.stringify(r, null, 2));
        else {
          const { stdout, summary } = formatRun(r);
          if (stdout) io.out(stdout);
          io.err(summary);
        }
        return r.call.outcome === "ok" ? 0 : 1;
      });
  }
}

/** Runs the CLI; answers the exit code (0 ok, 1 failed, 2 wrong command line). */
export async function main(argv: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const io: Io = {
    json: false,
    cwd: opts.cwd,
    env: opts.env,
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
  try {
    const { command, json } = parseCommandLine(argv);
    io.json = json;
    if (!command) {
      io.out(USAGE);
      return 0;
    }
    return await execute(command, io);
  } catch (err) {
    const e = err as Error;
    io.err(`error: ${e.message}`);
    if (err instanceof UsageError) return 2;
    if (!(err instanceof BuildError) && !(err instanceof RunError) && !(err instanceof CatalogBuildError) && !(err instanceof SignError) && opts.env.NDP_DEBUG) io.err(String(e.stack));
    return 1;
  }
}
