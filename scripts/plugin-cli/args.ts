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
  | { name: "verify"; file: string }
  | { name: "repo list" }
  | { name: "repo add"; url: string }
  | { name: "repo remove"; target: string }
  | { name: "repo refresh"; target?: string }
  | { name: "search"; q?: string; capability?: string }
  | { name: "install"; id: string; version?: string }
  | { name: "update"; id: string; action: "apply" | "approve" | "discard" | "check"; version?: string }
  | { name: "history"; id: string }
  | { name: "rollback"; id: string; target: { sha256: string } | { version: string } };

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

Catalogs, updates and rollback
  repo list                              plugin repositories (catalog URLs) with their state
  repo add <url>                         add a catalog URL (fetched at once)
  repo remove <id|url>                   remove an admin-added repository
  repo refresh [id|url]                  fetch the catalogs again (all, or one)
  search [text] [--capability <name>]    plugins in the catalogs, with installed versions
  install <id> [--version <v>]           download, verify and install (lands disabled)
  update <id> [--version <v>]            update from the catalog: applied in place when it asks
                                         for no new permissions, otherwise staged for approval
  update <id> --check                    show the available and the staged update (permission diff)
  update <id> --approve | --discard      install or drop the staged update
  history <id>                           the kept packages (version history)
  rollback <id> <sha256|version>         reinstall a kept package (settings kept)

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
        version: { type: "string" },
        capability: { type: "string" },
        approve: { type: "boolean" },
        discard: { type: "boolean" },
        check: { type: "boolean" },
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
  // The lifecycle options belong to their commands only.
  const lifecycleOptions = { version: v.version !== undefined, capability: v.capability !== undefined, approve: Boolean(v.approve), discard: Boolean(v.discard), check: Boolean(v.check) };
  const allowOnly = (...allowed: (keyof typeof lifecycleOptions)[]) => {
    const wrong = (Object.keys(lifecycleOptions) as (keyof typeof lifecycleOptions)[]).filter((k) => lifecycleOptions[k] && !allowed.includes(k));
    if (wrong.length) throw usage(`${name} takes no --${wrong.join("/--")} option`);
  };
  if (!["search", "install", "update"].includes(name ?? "")) allowOnly();
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
    case "repo": {
      noScope();
      const [sub, arg, ...extra] = rest;
      if (extra.length) throw usage("usage: repo list | repo add <url> | repo remove <id|url> | repo refresh [id|url]");
      if (sub === "list" && arg === undefined) return { command: { name: "repo list" }, options };
      if (sub === "add" && arg) return { command: { name: "repo add", url: arg }, options };
      if (sub === "remove" && arg) return { command: { name: "repo remove", target: arg }, options };
      if (sub === "refresh") return { command: { name: "repo refresh", target: arg }, options };
      throw usage("usage: repo list | repo add <url> | repo remove <id|url> | repo refresh [id|url]");
    }
    case "search": {
      noScope();
      allowOnly("capability");
      if (rest.length > 1) throw usage("usage: search [text] [--capability <name>] (quote text with spaces)");
      return { command: { name, q: rest[0], capability: v.capability }, options };
    }
    case "install": {
      noScope();
      allowOnly("version");
      const [id] = want(1, "install <id> [--version <v>]");
      return { command: { name, id, version: v.version }, options };
    }
    case "update": {
      noScope();
      allowOnly("version", "approve", "discard", "check");
      const [id] = want(1, "update <id> [--version <v> | --check | --approve | --discard]");
      const actions = (["approve", "discard", "check"] as const).filter((a) => lifecycleOptions[a]);
      if (actions.length > 1 || (actions.length && v.version !== undefined)) throw usage("use only one of --version, --check, --approve and --discard");
      return { command: { name, id, action: actions[0] ?? "apply", version: v.version }, options };
    }
    case "history": {
      noScope();
      const [id] = want(1, "history <id>");
      return { command: { name, id }, options };
    }
    case "rollback": {
      noScope();
      const [id, target] = want(2, "rollback <id> <sha256|version>");
      // A sha256 (or a prefix of 8+ hex digits) names a package; anything else is a version.
      return { command: { name, id, target: /^[0-9a-f]{8,64}$/i.test(target) ? { sha256: target.toLowerCase() } : { version: target } }, options };
    }
    default:
      throw usage(`unknown command "${name}"`);
  }
}
