import { parseArgs } from "node:util";
import { CliError } from "./client";

/** A scope change: `--all`, `--set a,b` or `--none`; absent when the command only shows the scope. */
export type ScopeChange = { all: true } | { set: string[] } | { none: true };

export type Command =
  | { name: "list" }
  | { name: "info"; id: string }
  | { name: "enable"; id: string }
  | { name: "disable"; id: string }
  | { name: "config get"; id: string }
  | { name: "config set"; id: string; value: string }
  | { name: "users"; id: string; change?: ScopeChange }
  | { name: "libraries"; id: string; change?: ScopeChange; writeAccess?: boolean }
  | { name: "rescan" }
  | { name: "verify"; file: string };

export interface CliOptions {
  json: boolean;
  verbose: boolean;
  /** Explicit server URL: the server must answer (no fallback to offline). */
  server?: string;
  /** Never contact a server; work on the database and folder. */
  offline: boolean;
  user?: string;
  password?: string;
  configFile?: string;
}

export const USAGE = `Usage: npm run plugin -- <command> [options]

Commands
  list                                   plugins in the database, with their state
  info <id>                              one plugin: manifest, permissions, settings, error
  enable <id>                            enable (permission gates, then a load check)
  disable <id>                           disable
  config get <id>                        print the saved configuration (JSON)
  config set <id> <json|@file|@->        validate against the plugin's schema and save
  users <id> [--all | --set a,b | --none]
                                         show or set the users (ids or user names)
  libraries <id> [--all | --set 1,2 | --none] [--write-access | --no-write-access]
                                         show or set the libraries
  rescan                                 sync the plugins folder with the database
  verify <file.ndp>                      check a package as the server would load it

Options
  --json                 machine-readable output
  --server <url>         talk to this server (default: http://127.0.0.1:<Port>)
  --user <name>          admin user name for the server (or ND_CLI_USER)
  --password <pw>        its password (or ND_CLI_PASSWORD)
  --offline              do not look for a server; work on the database directly
  --configfile <file>    server configuration file (as for the server)
  --verbose              log what the plugin manager does (stderr)
  -h, --help             this help

Against a running server the change goes through its REST API, so the server applies
it (loads, reloads). When no server answers, the CLI works on the DataFolder's database
and plugins folder with the same rules; do not do that while a server uses them.`;

const usage = (message: string) => new CliError(`${message}\n(npm run plugin -- --help shows the commands)`, 2);

function scopeChange(v: { all?: boolean; set?: string; none?: boolean }): ScopeChange | undefined {
  const given = [v.all, v.set !== undefined, v.none].filter(Boolean).length;
  if (given > 1) throw usage("use only one of --all, --set and --none");
  if (v.all) return { all: true };
  if (v.none) return { none: true };
  if (v.set !== undefined) {
    const list = v.set.split(",").map((s) => s.trim()).filter(Boolean);
    if (!list.length) throw usage("--set needs a comma-separated list (use --none to clear)");
    return { set: list };
  }
  return undefined;
}

/** Parses the command line; throws a CliError with exit code 2 and the usage text when it is wrong. */
export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): { command: Command | null; options: CliOptions } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        verbose: { type: "boolean", default: false },
        server: { type: "string" },
        offline: { type: "boolean", default: false },
        user: { type: "string" },
        password: { type: "string" },
        configfile: { type: "string" },
        all: { type: "boolean" },
        set: { type: "string" },
        none: { type: "boolean" },
        "write-access": { type: "boolean" },
        "no-write-access": { type: "boolean" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    throw usage((err as Error).message);
  }
  const v = parsed.values;
  const options: CliOptions = {
    json: v.json!,
    verbose: v.verbose!,
    server: v.offline ? undefined : (v.server ?? (env.ND_CLI_SERVER || undefined)),
    offline: v.offline!,
    user: v.user ?? (env.ND_CLI_USER || undefined),
    password: v.password ?? (env.ND_CLI_PASSWORD || undefined),
    configFile: v.configfile,
  };
  if ((options.user === undefined) !== (options.password === undefined)) throw usage("give both a user name and a password, or neither");
  if (options.offline && v.server) throw usage("--offline and --server exclude each other");
  if (v.help) return { command: null, options };

  const [name, ...rest] = parsed.positionals;
  const want = (n: number, shape: string): string[] => {
    if (rest.length !== n) throw usage(`usage: ${shape}`);
    return rest;
  };
  const noScope = () => {
    if (v.all || v.set !== undefined || v.none || v["write-access"] || v["no-write-access"]) throw usage(`${name} takes no --all/--set/--none/--write-access options`);
  };
  switch (name) {
    case undefined:
      throw usage("no command given");
    case "list":
    case "rescan":
      noScope();
      want(0, name);
      return { command: { name }, options };
    case "info":
    case "enable":
    case "disable": {
      noScope();
      const [id] = want(1, `${name} <id>`);
      return { command: { name, id }, options };
    }
    case "verify": {
      noScope();
      const [file] = want(1, "verify <file.ndp>");
      return { command: { name, file }, options };
    }
    case "config": {
      noScope();
      const [sub, id, value, ...extra] = rest;
      if (sub === "get" && id && value === undefined) return { command: { name: "config get", id }, options };
      if (sub === "set" && id && value !== undefined && !extra.length) return { command: { name: "config set", id, value }, options };
      throw usage("usage: config get <id> | config set <id> <json|@file|@->");
    }
    case "users": {
      if (v["write-access"] || v["no-write-access"]) throw usage("--write-access belongs to the libraries command");
      const [id] = want(1, "users <id> [--all | --set a,b | --none]");
      return { command: { name, id, change: scopeChange(v) }, options };
    }
    case "libraries": {
      const [id] = want(1, "libraries <id> [--all | --set 1,2 | --none] [--write-access | --no-write-access]");
      if (v["write-access"] && v["no-write-access"]) throw usage("use only one of --write-access and --no-write-access");
      const change = scopeChange(v);
      if (change && "set" in change && change.set.some((s) => !/^\d+$/.test(s))) throw usage("library ids are integers");
      const writeAccess = v["write-access"] ? true : v["no-write-access"] ? false : undefined;
      return { command: { name, id, change, writeAccess }, options };
    }
    default:
      throw usage(`unknown command "${name}"`);
  }
}
