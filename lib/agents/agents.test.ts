import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { setSettings } from "../server/settings";
import { AgentNotFound, type MetadataAgent } from "./agent";
import { firstAnswer, metadataAgents, setMetadataAgentSource } from "./agents";

// The agents service over its own interface: a small in-test agent stands in for the
// plugin adapter (lib/plugins/capabilities/capabilities.test.ts runs the real plugins).
function agent(id: string, biography: () => Promise<string>): MetadataAgent {
  const none = async () => {
    throw new AgentNotFound();
  };
  return { id, getArtistBiography: biography, getArtistMBID: none, getArtistURL: none, getSimilarArtists: none, getArtistImages: none, getArtistTopSongs: none, getAlbumInfo: none, getAlbumImages: none, getSimilarSongsByTrack: none, getSimilarSongsByAlbum: none, getSimilarSongsByArtist: none };
}

const available = new Map<string, MetadataAgent>();
const dataFolder = mkdtempSync(path.join(tmpdir(), "tessitura-agents-"));

beforeAll(() => {
  setSettings(loadConfig({ ND_DATAFOLDER: dataFolder, ND_AGENTS: "lastfm,beta,ghost,alpha,beta" }, ["node", "server"]));
  setMetadataAgentSource({ names: () => [...available.keys()], get: (name) => available.get(name) });
});
afterAll(() => setMetadataAgentSource(null));

describe("metadataAgents", () => {
  it("follows the Agents order, skipping built-in names (even as plugin ids), unknown names and repeats", () => {
    available.clear();
    for (const id of ["alpha", "beta", "lastfm"]) available.set(id, agent(id, async () => id));
    expect(metadataAgents().map((a) => a.id)).toEqual(["beta", "alpha"]);
  });

  it("asks the source on every call, so an agent that goes away is skipped at once", () => {
    available.delete("beta");
    expect(metadataAgents().map((a) => a.id)).toEqual(["alpha"]);
    available.set("beta", agent("beta", async () => "beta"));
    expect(metadataAgents().map((a) => a.id)).toEqual(["beta", "alpha"]);
  });

  it("has no agents before a source is wired", () => {
    setMetadataAgentSource(null);
    try {
      expect(metadataAgents()).toEqual([]);
    } finally {
      setMetadataAgentSource({ names: () => [...available.keys()], get: (name) => available.get(name) });
    }
  });
});

describe("firstAnswer", () => {
  const ask = () => firstAnswer((a) => a.getArtistBiography("id", "name", ""), "biography");

  it("moves past 'no data' without counting it as a failure", async () => {
    available.set("beta", agent("beta", async () => Promise.reject(new AgentNotFound())));
    available.set("alpha", agent("alpha", async () => "from alpha"));
    expect(await ask()).toEqual({ value: "from alpha", agent: "alpha", failed: false });
  });

  it("moves past a real failure but reports it, so the item is asked again later", async () => {
    available.set("beta", agent("beta", async () => Promise.reject(new Error("service down"))));
    expect(await ask()).toEqual({ value: "from alpha", agent: "alpha", failed: true });
    available.set("alpha", agent("alpha", async () => Promise.reject(new AgentNotFound())));
    expect(await ask()).toEqual({ value: null, agent: null, failed: true });
  });
});
