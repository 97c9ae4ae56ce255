import "server-only";
import { metadataAgents } from "../agents/agents";
import { playTracker } from "../scrobbler";
import { settings } from "../server/settings";
import { pluginManager } from "../plugins";
import { sonicProvider } from "../sonic/sonic";

/**
 * Where the server actually uses a loaded plugin's capabilities, in words an admin reads
 * on the plugin page: a capability only matters if the configuration routes to it
 * (`Agents`, `LyricsPriority`) or it is the one provider chosen.
 */
export function capabilityUsage(pluginId: string): string[] {
  const plugin = pluginManager()?.loadedPlugin(pluginId);
  if (!plugin) return [];
  const out: string[] = [];
  const caps = plugin.capabilities;
  if (caps.includes("MetadataAgent")) {
    const agents = metadataAgents();
    const i = agents.findIndex((a) => a.id === pluginId);
    out.push(i >= 0 ? `Metadata agent ${i + 1} of ${agents.length} (Agents setting)` : "Metadata agent, not used: add its id to the Agents setting");
  }
  if (caps.includes("Lyrics")) {
    const sources = settings()
      .LyricsPriority.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const i = sources.indexOf(pluginId);
    out.push(i >= 0 ? `Lyrics source ${i + 1} of ${sources.length} (LyricsPriority: ${sources.join(", ")})` : "Lyrics provider, not used: add its id to the LyricsPriority setting");
  }
  if (caps.includes("SonicSimilarity")) {
    const provider = sonicProvider()?.id;
    out.push(provider === pluginId ? "Sonic similarity provider (getSonicSimilarTracks, findSonicPath)" : `Sonic similarity, not used: ${provider} is the provider`);
  }
  if (caps.includes("Scrobbler")) {
    const r = plugin.record;
    const scope = r.allUsers ? "all users" : `${r.users.length} selected user${r.users.length === 1 ? "" : "s"}`;
    // Users whose scrobbles the plugin accepted since the server started.
    const receiving = playTracker()?.usersReceiving(pluginId) ?? 0;
    out.push(`Scrobbler for ${scope}, receiving scrobbles for ${receiving} user${receiving === 1 ? "" : "s"}`);
  }
  if (caps.includes("Lifecycle")) out.push("Runs nd_on_init after every load");
  return out;
}
