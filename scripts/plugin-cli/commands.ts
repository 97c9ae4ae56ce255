import { readFileSync } from "node:fs";
import path from "node:path";
import { parseDuration, parseSize, type Config } from "@/lib/config";
import type { PluginResource } from "@/lib/plugin-admin/resource";
import { Engine } from "@/lib/plugins/engine";
import { inspectPackage } from "@/lib/plugin-admin/inspect";
import type { Command, ScopeChange } from "./args";
import { CliError, type PluginClient, type UpdateBody } from "./client";
import { formatCatalog, formatDiff, formatHistory, formatInfo, formatLibraries, formatList, formatRepositories, formatRescan, formatUpdateView, formatUsers, formatVerify } from "./format";
import { declares, summarizePlugin, type PluginSummary } from "./summary";

/** Where a command writes: results to stdout (text or JSON), remarks to stderr. */
export interface Output {
  json: boolean;
  /** The user's working directory, for file arguments (`@file`, `verify <file>`). */
  cwd: string;
  print(text: string): void;
  note(text: string): void;
}

function emit(io: Output, value: unknown, text: string): void {
  io.print(io.json ? JSON.stringify(value, null, 2) : text);
}

/** `<json>`, `@file`, or `@-` (standard input). */
function readConfigArgument(value: string, cwd: string): string {
  if (!value.startsWith("@")) return value.trim();
  const source = value.slice(1);
  try {
    return readFileSync(source === "-" ? 0 : path.resolve(cwd, source), "utf8").trim();
  } catch (err) {
    throw new CliError(`reading ${source === "-" ? "standard input" : source}: ${(err as Error).message}`);
  }
}

/** Accepts user ids or user names (case-insensitive), and answers ids. */
async function resolveUsers(client: PluginClient, wanted: string[]): Promise<string[]> {
  const users = await client.listUsers();
  return wanted.map((w) => {
    const user = users.find((u) => u.id === w) ?? users.find((u) => u.userName.toLowerCase() === w.toLowerCase());
    if (!user) throw new CliError(`unknown user "${w}"`);
    return user.id;
  });
}

async function usersBody(client: PluginClient, change: ScopeChange): Promise<UpdateBody> {
  if ("all" in change) return { allUsers: true };
  if ("none" in change) return { users: "[]", allUsers: false };
  return { users: JSON.stringify(await resolveUsers(client, change.set)), allUsers: false };
}

function librariesBody(change: ScopeChange | undefined, writeAccess: boolean | undefined): UpdateBody {
  const body: UpdateBody = writeAccess === undefined ? {} : { allowWriteAccess: writeAccess };
  if (!change) return body;
  if ("all" in change) return { ...body, allLibraries: true };
  if ("none" in change) return { ...body, libraries: "[]", allLibraries: false };
  return { ...body, libraries: JSON.stringify(change.set.map(Number)), allLibraries: false };
}

async function summarize(client: PluginClient, resource: PluginResource): Promise<PluginSummary> {
  return summarizePlugin(resource, resource.users ? await client.listUsers() : []);
}

/**
 * Saves through `PUT /api/plugin/{id}` and reports the result. A save can disable an
 * enabled plugin (a required scope became empty, contract §5.7); that is said too.
 */
async function update(client: PluginClient, io: Output, id: string, body: UpdateBody, describe: (p: PluginSummary) => string): Promise<number> {
  const before = await client.getPlugin(id);
  const after = await summarize(client, await client.updatePlugin(id, body));
  const lines = [describe(after)];
  if (before.enabled && !after.enabled) lines.push(`${id} is now disabled${after.gate ? `: ${after.gate}` : ""}`);
  emit(io, after, lines.join("\n"));
  return 0;
}

/** Runs one plugin command against a server or the database; answers the exit code. */
export async function runCommand(client: PluginClient, command: Exclude<Command, { name: "verify" }>, io: Output): Promise<number> {
  switch (command.name) {
    case "list": {
      const resources = await client.listPlugins();
      const users = resources.some((r) => r.users) ? await client.listUsers() : [];
      const plugins = resources.map((r) => summarizePlugin(r, users));
      emit(io, plugins, formatList(plugins));
      return 0;
    }
    case "info": {
      const summary = await summarize(client, await client.getPlugin(command.id));
      emit(io, summary, formatInfo(summary));
      return 0;
    }
    case "enable":
      return update(client, io, command.id, { enabled: true }, (p) => `${p.id}: enabled`);
    case "disable":
      return update(client, io, command.id, { enabled: false }, (p) => `${p.id}: disabled`);
    case "config get": {
      const summary = summarizePlugin(await client.getPlugin(command.id));
      emit(io, summary.config, JSON.stringify(summary.config ?? {}, null, 2));
      return 0;
    }
    case "config set": {
      const config = readConfigArgument(command.value, io.cwd);
      return update(client, io, command.id, { config }, (p) => `${p.id}: configuration saved${p.enabled ? " (plugin reloaded)" : ""}`);
    }
    case "users": {
      if (!command.change) {
        const summary = await summarize(client, await client.getPlugin(command.id));
        emit(io, { allUsers: summary.allUsers, users: summary.users }, formatUsers(summary));
        return 0;
      }
      const resource = await client.getPlugin(command.id);
      if (!declares(resource, "users")) io.note(`note: ${command.id} does not declare the users permission; the setting has no effect`);
      return update(client, io, command.id, await usersBody(client, command.change), (p) => `${p.id}: users set to ${formatUsers(p)}`);
    }
    case "libraries": {
      if (!command.change && command.writeAccess === undefined) {
        const summary = summarizePlugin(await client.getPlugin(command.id));
        emit(io, { allLibraries: summary.allLibraries, libraries: summary.libraries, allowWriteAccess: summary.allowWriteAccess }, formatLibraries(summary));
        return 0;
      }
      const resource = await client.getPlugin(command.id);
      if (!declares(resource, "library")) io.note(`note: ${command.id} does not declare the library permission; the setting has no effect`);
      return update(client, io, command.id, librariesBody(command.change, command.writeAccess), (p) => `${p.id}: libraries set to ${formatLibraries(p)}`);
    }
    case "rescan": {
      const report = await client.rescan();
      emit(io, report, formatRescan(report));
      return 0;
    }
    default:
      return runLifecycleCommand(client, command, io);
  }
}

/** `repo …` targets: a repository id, or its URL as listed. */
async function repositoryId(client: PluginClient, target: string): Promise<number> {
  if (/^\d+$/.test(target)) return Number(target);
  const repos = await client.lifecycle.listRepositories();
  let normalized = target;
  try {
    normalized = new URL(target).href;
  } catch {
    // not a URL: compared as given
  }
  const repo = repos.find((r) => r.url === target || r.url === normalized);
  if (!repo) throw new CliError(`no plugin repository ${target} (see \`repo list\`)`);
  return repo.id;
}

/** The catalog and lifecycle commands (issue #15), with the same rules as the admin pages. */
async function runLifecycleCommand(client: PluginClient, command: LifecycleCommand, io: Output): Promise<number> {
  const api = client.lifecycle;
  switch (command.name) {
    case "repo list": {
      const repos = await api.listRepositories();
      emit(io, repos, formatRepositories(repos));
      return 0;
    }
    case "repo add": {
      const repo = await api.addRepository(command.url);
      emit(io, repo, repo.lastError ? `Added repository ${repo.id} (${repo.url}), but its catalog could not be read: ${repo.lastError}` : `Added repository ${repo.id}: ${repo.name ?? repo.url} (${repo.pluginCount} plugins)`);
      return repo.lastError ? 1 : 0;
    }
    case "repo remove": {
      const id = await repositoryId(client, command.target);
      await api.removeRepository(id);
      emit(io, { removed: id }, `Removed repository ${id}`);
      return 0;
    }
    case "repo refresh": {
      const repos = await api.refreshRepositories(command.target === undefined ? undefined : await repositoryId(client, command.target));
      emit(io, repos, formatRepositories(repos));
      return repos.some((r) => r.lastError) ? 1 : 0;
    }
    case "search": {
      const plugins = await api.searchCatalog({ q: command.q, capability: command.capability });
      emit(io, plugins, formatCatalog(plugins));
      return 0;
    }
    case "install": {
      const r = await api.install({ pluginId: command.id, version: command.version });
      emit(io, r, `${r.pluginId} ${r.version} installed (sha256 ${r.sha256.slice(0, 16)}), disabled: review its permissions with \`info ${r.pluginId}\`, then \`enable ${r.pluginId}\``);
      return 0;
    }
    case "update": {
      if (command.action === "check") {
        const view = await api.updateView(command.id);
        emit(io, view, formatUpdateView(view));
        return 0;
      }
      if (command.action === "discard") {
        await api.discardUpdate(command.id);
        emit(io, { pluginId: command.id, discarded: true }, `${command.id}: staged update discarded`);
        return 0;
      }
      if (command.action === "approve") {
        const r = await api.approveUpdate(command.id);
        const after = await client.getPlugin(command.id);
        emit(io, r, `${r.pluginId}: updated to ${r.version} (new permissions approved)${after.enabled ? "" : "; it is disabled"}`);
        return 0;
      }
      const r = await api.update(command.id, command.version);
      if (r.applied) {
        emit(io, r, `${r.pluginId}: updated to ${r.version} (settings kept)`);
        return 0;
      }
      const view = await api.updateView(command.id);
      const lines = [`${r.pluginId}: ${r.version} asks for new permissions and is staged; the installed version keeps running.`];
      if (view.pending) lines.push("Permission changes:", ...formatDiff(view.pending.diff));
      lines.push(`Approve with \`update ${r.pluginId} --approve\`, or drop it with \`update ${r.pluginId} --discard\`.`);
      emit(io, r, lines.join("\n"));
      return 0;
    }
    case "history": {
      const entries = await api.history(command.id);
      emit(io, entries, formatHistory(entries));
      return 0;
    }
    case "rollback": {
      const e = await api.rollback(command.id, command.target);
      const after = await client.getPlugin(command.id);
      emit(io, e, `${command.id}: rolled back to ${e.version} (${e.sha256.slice(0, 16)}), settings kept${after.enabled ? "" : "; it is disabled"}`);
      return 0;
    }
  }
}

type LifecycleCommand = Extract<Command, { name: "repo list" | "repo add" | "repo remove" | "repo refresh" | "search" | "install" | "update" | "history" | "rollback" }>;

/**
 * `verify <file>`: the manifest parse and the load checks, as the server would run them,
 * without a database. Exit code 1 when the server would refuse the package.
 */
export async function runVerify(file: string, config: Config, io: Output): Promise<number> {
  const engine = new Engine({ workers: config.Plugins.Workers || undefined });
  try {
    const result = await inspectPackage(path.resolve(io.cwd, file), {
      engine,
      logLevel: config.Plugins.LogLevel || config.LogLevel,
      timeoutMs: parseDuration(config.Plugins.CallTimeout),
      memoryLimitBytes: parseSize(config.Plugins.MemoryLimit),
    });
    emit(io, { ok: result.errors.length === 0, ...result }, formatVerify(result));
    return result.errors.length ? 1 : 0;
  } finally {
    await engine.close();
  }
}
