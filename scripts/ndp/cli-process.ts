import { execFile } from "node:child_process";
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
