import { execFile, spawn } from "node:child_process";
import path from "node:path";

const entry = path.join(import.meta.dirname, "..", "ndp.mjs");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ndp <args>` as a child process in `cwd`, as an author would from a shell. */
export function runNdp(args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [entry, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `ndp … --json` parsed; fails with the CLI's stderr when the output is not JSON. */
export async function runNdpJson<T = Record<string, any>>(args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<CliResult & { json: T }> {
  const r = await runNdp([...args, "--json"], opts);
  try {
    return { ...r, json: JSON.parse(r.stdout) as T };
  } catch {
    throw new Error(`ndp ${args.join(" ")} exited ${r.code} without JSON output:\n${r.stdout}\n${r.stderr}`);
  }
}

/** A long-running `ndp run … --serve`: its endpoint URL once it listens, and how to stop it. */
export interface ServingNdp {
  url: string;
  /** Sends SIGTERM (as Ctrl-C would end it) and answers the exit code and output. */
  stop(): Promise<CliResult>;
}

/** Starts `ndp <args>` and resolves when it prints its `serving <url>` line (rejects if it exits first). */
export function startServingNdp(args: string[], opts: { cwd: string }): Promise<ServingNdp> {
  const child = spawn(process.execPath, [entry, ...args], { cwd: opts.cwd, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  const exited = new Promise<CliResult>((resolve) => child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr })));
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      const m = /serving (http:\/\/\S+)/.exec(stderr);
      if (m) resolve({ url: m[1], stop: () => (child.kill("SIGTERM"), exited) });
    });
    void exited.then((r) => reject(new Error(`ndp exited ${r.code} before serving:\n${r.stderr}`)));
  });
}
