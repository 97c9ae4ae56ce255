import { execFile } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export interface PluginCliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run plugin -- <args>` (node scripts/plugin-cli.mjs) as a child process, as an admin
 * would from a shell; the caller's `ND_*` variables are dropped so only `env` configures it.
 */
export function runPluginCli(args: string[], env: Record<string, string> = {}): Promise<PluginCliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(childEnv)) if (key.startsWith("ND_") || key === "npm_lifecycle_event") delete childEnv[key];
  Object.assign(childEnv, { ND_LOGLEVEL: "error" }, env);
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, "scripts/plugin-cli.mjs"), ...args], { cwd: root, env: childEnv, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A port nothing listens on (so the CLI finds no server there and works offline). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}
