import { parseArgs } from "node:util";

/** A wrong command line (exit code 2). */
export class UsageError extends Error {
  name = "UsageError";
}

export interface InitCommand {
  name: "init";
  dir: string;
  pluginName?: string;
  author?: string;
  capabilities: string[];
  permissions: string[];
  force: boolean;
}

export interface RunCommand {
  name: "run";
  file: string;
  exportName: string;
  /** JSON text, `@file`, or `-` for stdin. */
  input: string;
  /** `key=value` entries. */
  config: string[];
  /** A JSON object (text or `@file`), applied before the `key=value` entries. */
  configJson?: string;
  httpFixture?: string;
  subsonicFixture?: string;
  /** Folders served as libraries 1, 2, … (`[name=]path`). */
  libraries: string[];
  /** `name` or `name:admin`. */
  users: string[];
  dataDir?: string;
  init: boolean;
  waitMs: number;
  timeoutMs: number;
  logLevel: string;
  /** `--serve <port>`: serve the plugin's HTTP endpoint here (0: any free port); the export is then optional. */
  serve?: number;
}

export type Command =
  | InitCommand
  | { name: "build"; dir: string; out?: string; id?: string }
  | { name: "validate"; file: string }
  | { name: "inspect"; file: string }
  | { name: "catalog"; folder: string; out: string; baseUrl?: string; catalogName?: string; keyFile?: string }
  | { name: "sign"; file: string; keyFile: string; out?: string }
  | { name: "keygen"; out: string; force: boolean }
  | RunCommand;

export const USAGE = `Usage: npx ndp <command> [options]     (or: npm run ndp -- <command>)

Commands
  init <dir>                 scaffold a plugin folder that uses the AssemblyScript PDK
      --capability <c>       metadata-agent, scrobbler, lyrics, sonic-similarity, task-worker,
                             playlist-provider, http-endpoint, lifecycle, scheduler-callback,
                             websocket-callback (repeatable; default: metadata-agent and lifecycle)
      --permission <p>       http[=host,…], cache, kvstore, scheduler, taskqueue, websocket[=host,…],
                             library[=filesystem], users, artwork, subsonicapi, matcher, storage,
                             endpoints[=native|subsonic|none], scrobbleRetriever (repeatable; what
                             the capabilities need is added for you)
      --name <name>          display name (default: the folder name)
      --author <name>        author (default: $USER)
      --force                write into a folder that is not empty
  build [dir]                compile <dir>/index.ts with asc and package dist/<id>.ndp
      -o, --out <file.ndp>   where to write the package (the file name is the plugin id)
  validate <file.ndp>        strict manifest check and the server's load checks
  inspect <file.ndp>         exports, imports, detected capabilities, permissions, sizes
  run <file.ndp> <export> [input]
                             call one export against a local emulation of the host services;
                             input is JSON text, @file or - (stdin); default {}
  run <file.ndp> --serve <port> [<export> [input]]
                             serve the plugin's HTTP endpoint at http://127.0.0.1:<port>/ext/<id>/
                             (and /rest/ext/<id>/) until Ctrl-C (or --wait ms), after the export
                             if one is given; with auth native/subsonic the caller is the --user
                             named by an X-Ndp-User header (or u=), else the first
      --config key=value     plugin configuration (repeatable)
      --config-json <json>   configuration as a JSON object (text or @file)
      --http-fixture <file>  JSON {"<url>": {"status", "headers", "body"}} answered by a local
                             server for http_send (the request is not sent to the real host)
      --subsonic-fixture <file>
                             JSON {"<endpoint>[?param=value…]": <subsonic-response object>}
                             answering subsonicapi_call
      --library [name=]path  a folder served as library 1, 2, … (repeatable)
      --user name[:admin]    a user the plugin may see (repeatable; default: admin:admin)
      --data <dir>           keep KV store, task queue and storage data here between runs
      --init                 call nd_on_init first (when exported)
      --wait <ms>            keep running this long after the call for schedules, tasks and
                             WebSocket callbacks, printing what they log
      --timeout <ms>         per-call time limit (default 30000)
      --log-level <level>    plugin log level: trace, debug, info, warn, error (default trace)
  catalog <folder>           build or update a plugin catalog from the .ndp files under <folder>
                             (docs/plugin-catalog.md); versions already in --out are kept
      -o, --out <file>       the catalog file (default catalog.json)
      --base-url <url>       where the packages are published (default: URLs relative to the catalog)
      --name <name>          the catalog's name (default: kept, else the folder name)
      --key <file>           also sign every version with this private key
  sign --key <file> <catalog.json>
                             sign every version of a catalog (in place, or to --out)
  keygen                     write an ed25519 key pair for signing: the private key (default
                             ndp-signing-key.pem, or --out) and <file>.pub; prints the public
                             key admins add to Plugins.TrustedKeys (--force replaces a key)

Options
  --json                     machine-readable output
  -h, --help                 this help`;

function parseInteger(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} takes a whole number of milliseconds, not ${JSON.stringify(text)}`);
  return n;
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--serve takes a port number (0 for any free one), not ${JSON.stringify(text)}`);
  return n;
}

export interface ParsedCommandLine {
  command: Command | null;
  json: boolean;
}

/** Parses `argv` (without node and the script); `command` is null for help. */
export function parseCommandLine(argv: string[]): ParsedCommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        capability: { type: "string", multiple: true, default: [] },
        permission: { type: "string", multiple: true, default: [] },
        name: { type: "string" },
        author: { type: "string" },
        force: { type: "boolean", default: false },
        out: { type: "string", short: "o" },
        id: { type: "string" },
        config: { type: "string", multiple: true, default: [] },
        "config-json": { type: "string" },
        "http-fixture": { type: "string" },
        "subsonic-fixture": { type: "string" },
        library: { type: "string", multiple: true, default: [] },
        user: { type: "string", multiple: true, default: [] },
        data: { type: "string" },
        init: { type: "boolean", default: false },
        wait: { type: "string" },
        timeout: { type: "string" },
        "log-level": { type: "string" },
        serve: { type: "string" },
        "base-url": { type: "string" },
        key: { type: "string" },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: v, positionals } = parsed;
  const json = Boolean(v.json);
  if (v.help || positionals.length === 0) return { command: null, json };
  const [name, ...rest] = positionals;
  const want = (n: number, usage: string) => {
    if (rest.length < n) throw new UsageError(`usage: ndp ${usage}`);
    return rest;
  };
  switch (name) {
    case "init": {
      const [dir] = want(1, "init <dir> [--capability c] [--permission p]");
      return { json, command: { name, dir, pluginName: v.name, author: v.author, capabilities: v.capability as string[], permissions: v.permission as string[], force: Boolean(v.force) } };
    }
    case "build":
      return { json, command: { name, dir: rest[0] ?? ".", out: v.out, id: v.id } };
    case "validate":
    case "inspect": {
      const [file] = want(1, `${name} <file.ndp>`);
      return { json, command: { name, file } };
    }
    case "run": {
      const serve = v.serve === undefined ? undefined : parsePort(v.serve);
      const [file, exportName, input] = want(serve === undefined ? 2 : 1, "run <file.ndp> <export> [input]  (or: run <file.ndp> --serve <port>)");
      const logLevel = v["log-level"] ?? "trace";
      if (!["trace", "debug", "info", "warn", "error"].includes(logLevel)) throw new UsageError(`--log-level must be trace, debug, info, warn or error`);
      return {
        json,
        command: {
          name,
          file,
          exportName: exportName ?? "",
          input: input ?? "{}",
          config: v.config as string[],
          configJson: v["config-json"],
          httpFixture: v["http-fixture"],
          subsonicFixture: v["subsonic-fixture"],
          libraries: v.library as string[],
          users: v.user as string[],
          dataDir: v.data,
          init: Boolean(v.init),
          waitMs: parseInteger("--wait", v.wait, 0),
          timeoutMs: parseInteger("--timeout", v.timeout, 30_000),
          logLevel,
          serve,
        },
      };
    }
    case "catalog": {
      const [folder] = want(1, "catalog <folder> [--out catalog.json] [--base-url url] [--name name] [--key file]");
      return { json, command: { name, folder, out: v.out ?? "catalog.json", baseUrl: v["base-url"], catalogName: v.name, keyFile: v.key } };
    }
    case "sign": {
      const [file] = want(1, "sign --key <private key file> <catalog.json>");
      if (!v.key) throw new UsageError("usage: ndp sign --key <private key file> <catalog.json>  (ndp keygen makes a key)");
      return { json, command: { name, file, keyFile: v.key, out: v.out } };
    }
    case "keygen":
      return { json, command: { name, out: v.out ?? "ndp-signing-key.pem", force: Boolean(v.force) } };
    default:
      throw new UsageError(`unknown command ${JSON.stringify(name)} (try ndp --help)`);
  }
}
