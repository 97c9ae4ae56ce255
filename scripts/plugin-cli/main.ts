import "./log"; // first: the CLI's logger must exist before lib/log.ts makes the server's
import { loadConfig, type Config } from "@/lib/config";
import { setLogLevel } from "@/lib/log";
import { parseCommandLine, USAGE, type CliOptions } from "./args";
import { CliError, type PluginClient } from "./client";
import { runCommand, runVerify, type Output } from "./commands";
import { openLocalClient } from "./local-client";
import { connectToServer } from "./remote-client";

function readConfig(options: CliOptions, env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(env, options.configFile ? ["--configfile", options.configFile] : []);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** The server's own address: its Port, on loopback unless it listens on one address only. */
export function defaultServerUrl(config: Config): string {
  const any = ["", "0.0.0.0", "::", "[::]"].includes(config.Address);
  const host = any ? "127.0.0.1" : config.Address.includes(":") && !config.Address.startsWith("[") ? `[${config.Address}]` : config.Address;
  return `http://${host}:${config.Port}`;
}

/**
 * A running server when one answers (so that it applies the change), else the database
 * and plugins folder directly. `--server` insists on a server; `--offline` never asks.
 */
async function openClient(options: CliOptions, env: NodeJS.ProcessEnv, io: Output): Promise<PluginClient> {
  const credentials = { user: options.user, password: options.password };
  if (options.server) {
    const client = await connectToServer({ url: options.server, ...credentials });
    if (!client) throw new CliError(`no server answers at ${options.server}`);
    return client;
  }
  const config = readConfig(options, env);
  if (!options.offline) {
    const url = defaultServerUrl(config);
    const client = await connectToServer({ url, ...credentials });
    if (client) return client;
    io.note(`No server answers at ${url}; working on ${config.resolved.databaseFile} directly.`);
  }
  return openLocalClient(config);
}

/** Runs the CLI; answers the exit code (0 ok, 1 failed, 2 wrong command line). */
export async function main(argv: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const io: Output = {
    json: false,
    cwd: opts.cwd,
    print: (text) => process.stdout.write(`${text}\n`),
    note: (text) => process.stderr.write(`${text}\n`),
  };
  let verbose = false;
  try {
    const { command, options } = parseCommandLine(argv, opts.env);
    if (!command) {
      io.print(USAGE);
      return 0;
    }
    io.json = options.json;
    verbose = options.verbose;
    if (verbose) setLogLevel("debug");
    if (command.name === "verify") return await runVerify(command.file, readConfig(options, opts.env), io);
    const client = await openClient(options, opts.env, io);
    try {
      return await runCommand(client, command, io);
    } finally {
      await client.close();
    }
  } catch (err) {
    io.note(`error: ${(err as Error).message}`);
    if (verbose && !(err instanceof CliError)) io.note(String((err as Error).stack));
    return err instanceof CliError ? err.exitCode : 1;
  }
}
