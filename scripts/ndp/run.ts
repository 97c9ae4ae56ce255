import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PluginRecord } from "@/lib/db/plugins";
import { PluginActivity } from "@/lib/plugins/activity";
import { callPluginFunction } from "@/lib/plugins/call";
import { decodeCallOutput, interpretCallResult } from "@/lib/plugins/call-result";
import { detectCapabilities, validateWithCapabilities } from "@/lib/plugins/capabilities/registry";
import { configMapFromJson } from "@/lib/plugins/config-map";
import { goMarshal } from "@/lib/plugins/go-json";
import type { Engine, EngineModule, LogLevel, RawCallResult, WasiMount } from "@/lib/plugins/engine";
import { HOST_OVERRIDES_ENV } from "@/lib/net/host-overrides";
import { PluginNotLoadedError, type PluginCaller } from "@/lib/plugins/host/plugin-caller";
import { createHostFunctions, type HostServices } from "@/lib/plugins/host/registry";
import { pluginStoragePath, STORAGE_MOUNT } from "@/lib/plugins/host/storage";
import { pluginIdFromFileName } from "@/lib/plugins/id";
import type { LoadedPlugin } from "@/lib/plugins/loader";
import { serializeManifest } from "@/lib/plugins/manifest/serialize";
import type { Manifest } from "@/lib/plugins/manifest/types";
import { openPackage } from "@/lib/plugins/package";
import { UsageError, type RunCommand } from "./args";
import {
  artworkFunctions,
  libraryFunctions,
  libraryMounts,
  matcherFunctions,
  parseLibraries,
  parseUsers,
  readSubsonicFixtures,
  scrobbleRetrieverFunctions,
  subsonicFunctions,
  usersFunctions,
  type EmulatedLibrary,
} from "./emulation";
import { readFixtures, startFixtureServer, type FixtureHit, type FixtureServer } from "./http-fixtures";
import { serveEndpoints, type EndpointServer, type ServedRequest } from "./serve";

/** How one export call ended, in the host's terms (contract §2.3–§2.4). */
export type Outcome = "ok" | "failed" | "not-implemented" | "not-found";

export interface CallReport {
  export: string;
  outcome: Outcome;
  /** The export's i32 return value (null when it trapped or does not exist). */
  code: number | null;
  /** The Extism error the plugin set (or the trap), null when none. */
  error: string | null;
  /** The output text. */
  outputText: string;
  /** The output as JSON, when it is JSON. */
  output: unknown;
  /** The error the server would see, e.g. `plugin call failed: …`. */
  hostError: string | null;
  ms: number;
}

export interface RunReport {
  plugin: string;
  capabilities: string[];
  init: CallReport | null;
  call: CallReport;
  /** Host callbacks into the plugin during the run: schedules, tasks, WebSocket events. */
  callbacks: { export: string; input: unknown; outcome: "ok" | "failed"; error?: string }[];
  logs: { level: string; message: string }[];
  http: FixtureHit[];
  /** With `--serve`: where the endpoint was served and the requests it answered. */
  served?: { url: string; requests: ServedRequest[] };
}

/** A plugin-side failure reading the package or loading it, worded as the server would. */
export class RunError extends Error {
  name = "RunError";
}

function readArgument(value: string, cwd: string, what: string): string {
  if (value === "-") return readFileSync(0, "utf8");
  if (value.startsWith("@")) {
    const file = path.resolve(cwd, value.slice(1));
    if (!existsSync(file)) throw new UsageError(`${what}: ${file} not found`);
    return readFileSync(file, "utf8");
  }
  return value;
}

/** `--config-json` then `--config key=value` entries, as the admin's saved config object. */
export function configFromFlags(cmd: Pick<RunCommand, "config" | "configJson">, cwd: string): string {
  let obj: Record<string, unknown> = {};
  if (cmd.configJson !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readArgument(cmd.configJson, cwd, "--config-json"));
    } catch (err) {
      throw new UsageError(`--config-json: ${(err as Error).message}`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new UsageError("--config-json must be a JSON object");
    obj = parsed as Record<string, unknown>;
  }
  for (const entry of cmd.config) {
    const eq = entry.indexOf("=");
    if (eq <= 0) throw new UsageError(`--config ${entry}: expected key=value`);
    obj[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return JSON.stringify(obj);
}

const dec = new TextDecoder();
/** The server's default `Plugins.MemoryLimit`. */
const RUN_MEMORY_LIMIT_BYTES = 256 * 1024 * 1024;

function reportCall(name: string, raw: RawCallResult | null, trap: string | null, ms: number): CallReport {
  const outputText = raw ? dec.decode(raw.output) : "";
  let output: unknown = undefined;
  try {
    output = outputText ? JSON.parse(outputText) : undefined;
  } catch {
    output = undefined;
  }
  const base = { export: name, code: raw?.code ?? null, error: trap ?? raw?.error ?? null, outputText, output: output ?? null, ms: Math.round(ms) };
  if (trap !== null) return { ...base, outcome: "failed", hostError: `plugin call failed: ${trap}` };
  try {
    decodeCallOutput(interpretCallResult(name, raw!));
    return { ...base, outcome: "ok", hostError: null };
  } catch (err) {
    const e = err as Error;
    return { ...base, outcome: e.name === "NotImplementedError" ? "not-implemented" : "failed", hostError: e.message };
  }
}

async function callRaw(module: EngineModule, name: string, input: Uint8Array, timeoutMs: number): Promise<CallReport> {
  if (!module.hasExport(name)) return { export: name, outcome: "not-found", code: null, error: null, outputText: "", output: null, hostError: `function not found: ${name}`, ms: 0 };
  const started = performance.now();
  try {
    const raw = await module.call(name, input, { timeoutMs });
    return reportCall(name, raw, null, performance.now() - started);
  } catch (err) {
    return reportCall(name, null, (err as Error).message, performance.now() - started);
  }
}

export interface RunIo {
  cwd: string;
  /** Called for every plugin log line and callback as it happens (human output). */
  live?: (line: string) => void;
  /** With `--serve`, once the endpoint listens (also in --json mode: tools wait for it). */
  serving?: (url: string) => void;
  /** With `--serve`: resolves when serving should stop (default: SIGINT or SIGTERM, or --wait). */
  stopServing?: Promise<void>;
}

/** Resolves at Ctrl-C / SIGTERM, or after `waitMs` when it is set. */
function untilStopped(waitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      clearTimeout(timer);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    const timer = waitMs > 0 ? setTimeout(stop, waitMs) : undefined;
  });
}

/** The call report of a `--serve` run without an export. */
const NO_CALL: CallReport = { export: "", outcome: "ok", code: null, error: null, outputText: "", output: null, hostError: null, ms: 0 };

/** What the command line says about the emulated world, read and checked before anything runs. */
function readWorld(cmd: RunCommand, cwd: string) {
  return {
    input: new TextEncoder().encode(readArgument(cmd.input, cwd, "input")),
    configJson: configFromFlags(cmd, cwd),
    libraries: parseLibraries(cmd.libraries, cwd),
    users: parseUsers(cmd.users),
    subsonic: cmd.subsonicFixture ? readSubsonicFixtures(path.resolve(cwd, cmd.subsonicFixture)) : new Map<string, unknown>(),
    fixtures: cmd.httpFixture ? readFixtures(path.resolve(cwd, cmd.httpFixture)) : [],
  };
}

/** A plugin row that was never saved: enabled, with every user and the `--library` folders allowed. */
function runRecord(id: string, file: string, manifest: Manifest, configJson: string, libraries: EmulatedLibrary[]): PluginRecord {
  const now = new Date();
  return {
    id,
    path: file,
    manifest: serializeManifest(manifest),
    config: configJson,
    users: [],
    allUsers: true,
    libraries: libraries.map((l) => l.id),
    allLibraries: true,
    allowWriteAccess: false,
    enabled: true,
    lastError: "",
    sha256: "",
    createdAt: now,
    updatedAt: now,
  };
}

/** The WASI mounts a server would give the plugin: the `--library` folders (read-only) and its storage. */
function runMounts(manifest: Manifest, libraries: EmulatedLibrary[], dataFolder: string, id: string): WasiMount[] {
  const mounts: WasiMount[] = [];
  if (manifest.permissions?.library?.filesystem) mounts.push(...libraryMounts(libraries));
  if (manifest.permissions?.storage) mounts.push({ guestPath: STORAGE_MOUNT, hostPath: pluginStoragePath(dataFolder, id), readOnly: false });
  return mounts;
}

/**
 * `ndp run`: loads the package as the server does (manifest, host services for its
 * permissions, compile, capability rules) with a throw-away data folder and a plugin record
 * that allows every user and library, then calls one export with the given input. Services
 * that need the server's database are emulated (see emulation.ts); `http_send` reaches the
 * fixture server for fixture hosts and the network otherwise.
 */
export async function runPlugin(cmd: RunCommand, engine: Engine, io: RunIo): Promise<RunReport> {
  const file = path.resolve(io.cwd, cmd.file);
  const id = pluginIdFromFileName(file) ?? path.basename(file);
  const world = readWorld(cmd, io.cwd);
  let pkg;
  try {
    pkg = await openPackage(file);
  } catch (err) {
    throw new RunError((err as Error).message);
  }
  const manifest = pkg.manifest;
  const dataFolder = cmd.dataDir ? path.resolve(io.cwd, cmd.dataDir) : mkdtempSync(path.join(tmpdir(), "ndp-run-"));
  mkdirSync(dataFolder, { recursive: true });
  const record = runRecord(id, file, manifest, world.configJson, world.libraries);
  const logs: RunReport["logs"] = [];
  const callbacks: RunReport["callbacks"] = [];
  const activity = new PluginActivity();

  let fixtureServer: FixtureServer | null = null;
  let endpointServer: EndpointServer | null = null;
  let services: HostServices | null = null;
  let module: EngineModule | null = null;
  let plugin: LoadedPlugin | null = null;
  const savedOverrides = process.env[HOST_OVERRIDES_ENV];
  // As on a server, callbacks reach the plugin only while it is loaded: not during the
  // teardown (so a WebSocket's close at unload is not delivered).
  let active = false;
  const callPlugin: PluginCaller = async (name, callInput, opts) => {
    if (!active || !plugin) throw new PluginNotLoadedError(id);
    const shown = goMarshal(callInput); // as the plugin receives it (bytes as base64)
    io.live?.(`→ callback ${name} ${shown}`);
    try {
      const result = await callPluginFunction(plugin, name, callInput, opts);
      callbacks.push({ export: name, input: JSON.parse(shown), outcome: "ok" });
      return result as never;
    } catch (err) {
      const message = (err as Error).message;
      callbacks.push({ export: name, input: JSON.parse(shown), outcome: "failed", error: message });
      io.live?.(`  callback ${name} failed: ${message}`);
      throw err;
    }
  };
  try {
    if (world.fixtures.length) {
      fixtureServer = await startFixtureServer(world.fixtures);
      process.env[HOST_OVERRIDES_ENV] = [savedOverrides, fixtureServer.overrides].filter(Boolean).join(",");
    }
    const config = configMapFromJson(world.configJson);
    services = await createHostFunctions({ pluginId: id, manifest, record, config, dataFolder, callPlugin, activity });
    // The services that need the server's database or secrets, emulated (only where the manifest grants them).
    const emulated = {
      ...libraryFunctions(world.libraries, Boolean(manifest.permissions?.library?.filesystem)),
      ...usersFunctions(world.users),
      ...subsonicFunctions(world.subsonic, world.users),
      ...matcherFunctions(),
      ...scrobbleRetrieverFunctions(world.users),
      ...artworkFunctions(),
    };
    for (const [name, fn] of Object.entries(emulated)) if (name in services.functions) services.functions[name] = fn;

    try {
      module = await engine.load(pkg.wasm, {
        name: id,
        hostFunctions: services.functions,
        config,
        allowedHosts: manifest.permissions?.http?.requiredHosts ?? [],
        logLevel: cmd.logLevel as LogLevel,
        onLog: (level, message) => {
          logs.push({ level, message });
          activity.log(level, message);
          io.live?.(`[${level}] ${message}`);
        },
        timeoutMs: cmd.timeoutMs,
        memoryLimitBytes: RUN_MEMORY_LIMIT_BYTES,
        mounts: runMounts(manifest, world.libraries, dataFolder, id),
      });
    } catch (err) {
      throw new RunError(`creating instance: ${(err as Error).message}`);
    }
    const capabilities = detectCapabilities(module.exports);
    try {
      validateWithCapabilities(manifest, capabilities, module.exports);
    } catch (err) {
      throw new RunError(`manifest validation: ${(err as Error).message}`);
    }
    const loaded = services;
    plugin = { id, record, manifest, capabilities, module, activity, loadedAt: new Date(), inflight: 0, initialise: async () => {}, close: async () => {}, background: () => loaded.status() };
    active = true;

    let init: CallReport | null = null;
    if (cmd.init && module.hasExport("nd_on_init")) {
      init = await callRaw(module, "nd_on_init", new TextEncoder().encode("{}"), cmd.timeoutMs);
      io.live?.(`nd_on_init: ${init.outcome}${init.hostError ? ` (${init.hostError})` : ""}`);
    }
    const call = cmd.exportName ? await callRaw(module, cmd.exportName, world.input, cmd.timeoutMs) : NO_CALL;
    if (cmd.serve !== undefined) {
      if (!capabilities.includes("HTTPEndpoint")) throw new RunError("--serve: the plugin does not export nd_http_handle_request (HTTPEndpoint)");
      if (!manifest.permissions?.endpoints) throw new RunError("--serve: the manifest does not declare the endpoints permission");
      endpointServer = await serveEndpoints(plugin, world.users, cmd.serve, io.live);
      io.serving?.(endpointServer.url);
      await (io.stopServing ?? untilStopped(cmd.waitMs));
      active = false;
      return { plugin: id, capabilities, init, call, callbacks, logs, http: fixtureServer?.hits ?? [], served: { url: endpointServer.url, requests: endpointServer.requests } };
    }
    if (cmd.waitMs > 0) {
      io.live?.(`waiting ${cmd.waitMs} ms for background work…`);
      await new Promise((r) => setTimeout(r, cmd.waitMs));
    }
    active = false;
    return { plugin: id, capabilities, init, call, callbacks, logs, http: fixtureServer?.hits ?? [] };
  } finally {
    active = false;
    await endpointServer?.close();
    await services?.close();
    await module?.close();
    await fixtureServer?.close();
    if (fixtureServer) {
      if (savedOverrides === undefined) delete process.env[HOST_OVERRIDES_ENV];
      else process.env[HOST_OVERRIDES_ENV] = savedOverrides;
    }
    if (!cmd.dataDir) rmSync(dataFolder, { recursive: true, force: true });
  }
}

export function formatRun(r: RunReport): { stdout: string; summary: string } {
  const c = r.call;
  const stdout = c.output !== null && typeof c.output === "object" ? JSON.stringify(c.output, null, 2) : c.outputText;
  const what =
    c.outcome === "ok"
      ? `returned ${c.code} in ${c.ms} ms`
      : c.outcome === "not-implemented"
        ? "returned -2: not implemented"
        : c.outcome === "not-found"
          ? "is not exported"
          : `failed: ${c.hostError}`;
  const lines = c.export ? [`${c.export} ${what}`] : [];
  if (r.served) lines.push(`served ${r.served.requests.length} request(s) at ${r.served.url}`);
  if (c.error && c.outcome === "failed") lines.push(`  error set by the plugin: ${c.error}`);
  for (const h of r.http) lines.push(`  http ${h.method} ${h.url} → ${h.status}${h.fixture ? "" : " (no fixture)"}`);
  return { stdout, summary: lines.join("\n") };
}
