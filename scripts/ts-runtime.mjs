// TypeScript from lib/ and scripts/ outside Next.js and vitest (CLIs, benchmarks): jiti
// compiles on the fly with the aliases vitest.config.ts uses (`@/` is the project root,
// `server-only` an empty module).
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createJiti } from "jiti";

export const root = path.resolve(import.meta.dirname, "..");

export function projectJiti(options = {}) {
  return createJiti(pathToFileURL(path.join(root, "package.json")).href, {
    alias: { "@": root, "server-only": path.join(root, "lib/testing/server-only-stub.ts") },
    ...options,
  });
}

/**
 * Runs a CLI whose `main(argv, {cwd, env})` answers an exit code. File arguments are the
 * caller's (`npm run <script>` starts in the project root, so INIT_CWD says where the
 * caller was); the process works from the project root, where migrations and the engine's
 * worker script are found.
 */
export async function runCli(scriptName, mainFile) {
  const cwd = process.env.npm_lifecycle_event === scriptName && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  process.chdir(root);
  // WebAssembly compiles (Prisma's query compiler, plugin modules) run on V8 threads that do
  // not keep Node's event loop alive; without a pending timer a command can end half-way
  // with "unsettled top-level await" (exit 13).
  const keepAlive = setInterval(() => {}, 60_000);
  const { main } = await projectJiti().import(path.join(root, mainFile));
  const code = await main(process.argv.slice(2), { cwd, env: process.env });
  clearInterval(keepAlive);
  process.exitCode = code;
  // Whatever a plugin or a driver left open (sockets, schedules) must not keep a finished command alive.
  setTimeout(() => process.exit(code), 2000).unref();
}
