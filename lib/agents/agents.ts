import "server-only";
import { log } from "../log";
import { remember } from "../server/remember";
import { settings } from "../server/settings";
import { AgentNotFound, type MetadataAgent, type MetadataAgentSource } from "./agent";

export { AgentNotFound, foldPunctuation } from "./agent";
export type { AlbumInfo, ArtistRef, ImageInfo, MetadataAgent, MetadataAgentSource, SongRef } from "./agent";

/** Navidrome's built-in agents. They need network services Tessitura does not ship, so only their names are reserved. */
const BUILT_IN = new Set(["deezer", "lastfm", "listenbrainz", "local"]);

// On globalThis: boot wires the source, route handlers read it.
const holder = remember("metadataAgentSource", () => ({ source: null as MetadataAgentSource | null }));

/** Sets where agents come from (boot wires the plugin adapter); null: no agents. */
export function setMetadataAgentSource(source: MetadataAgentSource | null): void {
  holder.source = source;
}

/**
 * The metadata agents to ask, in order (contract §3.1): `Agents` split on `,` without
 * trimming, each name a built-in or the id of an available agent (a loaded plugin with
 * the MetadataAgent capability; a built-in name wins over a plugin of the same id);
 * unknown names are ignored. Only plugin agents answer here.
 */
export function metadataAgents(): MetadataAgent[] {
  const source = holder.source;
  if (!source) return [];
  const available = new Set(source.names());
  const names = settings().Agents === "" ? [] : settings().Agents.split(",");
  const seen = new Set<string>();
  const out: MetadataAgent[] = [];
  for (const name of names) {
    if (seen.has(name) || BUILT_IN.has(name) || !available.has(name)) continue;
    const agent = source.get(name);
    if (!agent) continue;
    seen.add(name);
    out.push(agent);
  }
  return out;
}

/** Where a plugin sits in the agent order, for the admin page ("agent 2 of 3"), or null. */
export function agentPosition(pluginId: string): { position: number; of: number } | null {
  const agents = metadataAgents();
  const i = agents.findIndex((a) => a.id === pluginId);
  return i < 0 ? null : { position: i + 1, of: agents.length };
}

export interface AgentOutcome<T> {
  value: T | null;
  /** The agent that answered. */
  agent: string | null;
  /** True when some agent failed for real (not "no data"): the answer may be incomplete, ask again later. */
  failed: boolean;
}

/** Asks each agent in turn and returns the first answer; "no data" and failures both move on. */
export async function firstAnswer<T>(ask: (agent: MetadataAgent) => Promise<T>, what: string): Promise<AgentOutcome<T>> {
  let failed = false;
  for (const agent of metadataAgents()) {
    try {
      return { value: await ask(agent), agent: agent.id, failed };
    } catch (err) {
      if (err instanceof AgentNotFound) continue;
      failed = true;
      log.warn({ agent: agent.id, what, err: (err as Error).message }, "Metadata agent failed");
    }
  }
  return { value: null, agent: null, failed };
}
