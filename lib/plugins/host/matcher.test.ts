import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Library, MediaFile } from "../../db/generated/prisma/client";
import { db } from "../../db/client";
import { setRating, setStarred } from "../../annotations/annotations";
import { createLibrary, listLibraries } from "../../libraries/libraries";
import { writeDemoLibrary } from "../../media/demo-library";
import { startScan } from "../../scanner/scanner";
import { bootWithPlugins, callHost as callHostVia } from "../../testing/background-plugins";
import { installVariant } from "../../testing/host-plugins";
import { createUser } from "../../users/users";
import { goMarshal } from "../go-json";
import type { PluginManager } from "../manager";
import { createMatcherService } from "./matcher";
import type { HostServiceContext } from "./registry";

const ID = "test-matcher";
const FS = "test-matcher-fs";
let manager: PluginManager;
let libs: Library[];
let aliceId = "";

type Match = { id: string; libraryId: number; starred?: boolean; rating?: number; path?: string } | null;
const callHost = (request: object | string, id = ID) => callHostVia(manager, id, "nd_test_matcher", "matcher_matchsongs", request);
const results = async (request: object, id = ID) => (JSON.parse(await callHost(request, id)) as { results?: Match[]; error?: string });
const track = (title: string, libraryId: number): Promise<MediaFile> => db().mediaFile.findFirstOrThrow({ where: { title, libraryId } });

beforeAll(async () => {
  let dataFolder: string;
  let pluginsFolder: string;
  ({ manager, dataFolder, pluginsFolder } = await bootWithPlugins([ID], { ND_SCANNER_SCANONSTARTUP: "false" }));
  installVariant(pluginsFolder, { base: ID, id: FS, manifest: (m) => (m.permissions!.library!.filesystem = true) });
  installVariant(pluginsFolder, { base: ID, id: "matcher-unpermitted", manifest: (m) => delete m.permissions!.matcher });
  await manager.sync();
  // Two libraries holding the same demo albums: the plugin's scope decides which copy it gets.
  writeDemoLibrary(path.join(dataFolder, "music"), { seconds: 1 });
  writeDemoLibrary(path.join(dataFolder, "copy"), { seconds: 1 });
  await createLibrary({ name: "Copy", path: path.join(dataFolder, "copy") });
  await startScan();
  libs = await listLibraries();
  const alice = await createUser({ userName: "alice", password: "alice-pass" });
  await createUser({ userName: "bob", password: "bob-pass" });
  aliceId = alice.id;
  for (const l of libs) await db().userLibrary.create({ data: { userId: aliceId, libraryId: l.id } });
  await manager.saveSettings(ID, { libraries: [libs[0].id], users: [aliceId] });
  await manager.enable(ID);
});

describe("matcher_matchsongs (contract §4.13)", () => {
  it("answers one Track per song in input order, null when unmatched, every non-omitempty field present", async () => {
    const mf = await track("Perfect Fifth", libs[0].id);
    const ps = JSON.parse(mf.participants) as { id: string; name: string; mbid?: string; role: string }[];
    const expected = {
      id: mf.id,
      libraryId: libs[0].id,
      libraryName: libs[0].name,
      missing: false,
      title: "Perfect Fifth",
      album: "Sine Waves",
      artist: "The Tessitura Ensemble",
      albumArtist: "The Tessitura Ensemble",
      albumId: mf.albumId,
      trackNumber: 2,
      discNumber: 1,
      year: 2024,
      originalYear: 0,
      releaseYear: 0,
      size: Number(mf.size),
      suffix: "wav",
      duration: mf.duration,
      bitRate: mf.bitRate,
      sampleRate: mf.sampleRate,
      channels: mf.channels,
      genres: ["Ambient"],
      compilation: false,
      hasCoverArt: true,
      mbzRecordingId: mf.mbzRecordingId,
      mbzAlbumId: mf.mbzAlbumId,
      birthTime: Math.floor(mf.createdAt.getTime() / 1000),
      createdAt: Math.floor(mf.createdAt.getTime() / 1000),
      updatedAt: Math.floor(mf.updatedAt.getTime() / 1000),
      averageRating: 0,
      participants: [...ps].sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : 0)).map((p) => ({ id: p.id, name: p.name, ...(p.mbid ? { mbid: p.mbid } : {}), role: p.role })),
    };
    const resp = await callHost({ songs: [{ name: "Nothing Like This" }, { name: "perfect fifth", artist: "the tessitura ensemble" }, { mbid: mf.mbzRecordingId, name: "" }] });
    expect(resp).toBe(goMarshal({ results: [null, expected, expected] }));
  });

  it("resolves by ID, MusicBrainz ID and ISRC before the fuzzy match", async () => {
    const a = await track("Low Hum", libs[0].id);
    const b = await track("Whistle", libs[0].id);
    const r = await results({ songs: [{ id: a.id, name: "ignored" }, { mbid: b.mbzRecordingId, name: "x" }, { isrc: a.isrc, name: "y" }] });
    expect(r.results!.map((m) => m?.id)).toEqual([a.id, b.id, a.id]);
  });

  it("only searches the plugin's libraries", async () => {
    const other = await track("Whistle", libs[1].id);
    const r = await results({ songs: [{ id: other.id, name: "not a title" }, { id: other.id, name: "Whistle", artist: "Björk Demo" }] });
    expect(r.results![0]).toBeNull();
    // The out-of-scope ID finds nothing; the title then finds the in-scope copy.
    expect(r.results![1]).toMatchObject({ libraryId: libs[0].id, title: "Whistle" });
  });

  it("answers {} for no songs", async () => {
    expect(await callHost({ songs: [] })).toBe("{}");
    expect(await callHost({})).toBe("{}");
  });

  it("leaves out path without filesystem permission, and includes it with it", async () => {
    const r = await results({ songs: [{ name: "Low Hum" }] });
    expect(r.results![0]).not.toHaveProperty("path");
    await manager.saveSettings(FS, { libraries: [libs[0].id] });
    await manager.enable(FS);
    const withPath = await results({ songs: [{ name: "Low Hum" }] }, FS);
    expect(withPath.results![0]!.path).toBe((await track("Low Hum", libs[0].id)).path);
  });
});

describe("user scoping", () => {
  it("carries the user's annotations and lets favourites break ties", async () => {
    await manager.saveSettings(ID, { allLibraries: true });
    const copy = await track("Octave Down", libs[1].id);
    await setStarred(aliceId, [{ type: "track", id: copy.id }], true);
    await setRating(aliceId, { type: "track", id: copy.id }, 4);
    const unscoped = await results({ songs: [{ name: "Octave Down", artist: "The Tessitura Ensemble" }] });
    expect(unscoped.results![0]).toMatchObject({ libraryId: libs[0].id });
    expect(unscoped.results![0]).not.toHaveProperty("starred");
    const scoped = await results({ songs: [{ name: "Octave Down", artist: "The Tessitura Ensemble" }], opts: { username: "Alice" } });
    expect(scoped.results![0]).toMatchObject({ id: copy.id, starred: true, rating: 4, averageRating: 4, starredAt: expect.any(Number) });
    await manager.saveSettings(ID, { allLibraries: false, libraries: [libs[0].id] });
  });

  it("limits the match to the user's own libraries", async () => {
    await db().userLibrary.delete({ where: { userId_libraryId: { userId: aliceId, libraryId: libs[0].id } } });
    try {
      const r = await results({ songs: [{ name: "Low Hum" }], opts: { username: "alice" } });
      expect(r.results).toEqual([null]);
    } finally {
      await db().userLibrary.create({ data: { userId: aliceId, libraryId: libs[0].id } });
    }
  });

  it("refuses users outside the plugin's user scope and unknown users", async () => {
    expect(await callHost({ songs: [{ name: "Low Hum" }], opts: { username: "bob" } })).toBe('{"error":"matcher: plugin is not allowed to act as user \\"bob\\""}');
    expect(await callHost({ songs: [{ name: "Low Hum" }], opts: { username: "nobody" } })).toBe('{"error":"matcher: user \\"nobody\\" not found"}');
    await manager.saveSettings(ID, { users: [] });
    expect(await callHost({ songs: [{ name: "Low Hum" }], opts: { username: "alice" } })).toBe('{"error":"matcher: plugin is not authorized to scope by user"}');
    await manager.saveSettings(ID, { users: [aliceId] });
  });
});

describe("refusals", () => {
  it("a plugin importing matcher_matchsongs without the matcher permission fails to load", async () => {
    await manager.saveSettings("matcher-unpermitted", { allLibraries: true });
    await expect(manager.enable("matcher-unpermitted")).rejects.toThrow(/"matcher_matchsongs" is not exported in module "extism:host\/user"/);
  });

  it("fails closed without a library scope", async () => {
    const ctx = { pluginId: "p", manifest: { permissions: { matcher: {}, library: {} } }, record: { allLibraries: false, libraries: [], allUsers: false, users: [] } } as unknown as HostServiceContext;
    const out = await createMatcherService(ctx).functions.matcher_matchsongs(new TextEncoder().encode('{"songs":[{"name":"Low Hum"}]}'), { plugin: "p", signal: new AbortController().signal });
    expect(new TextDecoder().decode(out)).toBe('{"error":"matcher: no libraries configured for this plugin"}');
  });

  it("answers undecodable requests with Go's decoder error", async () => {
    expect(await callHost('{"songs":{}}')).toBe('{"error":"json: cannot unmarshal object into Go struct field MatcherMatchSongsRequest.songs of type []types.SongRef"}');
    expect(await callHost('{"songs":[{"name":3}]}')).toBe('{"error":"json: cannot unmarshal number 3 into Go struct field MatcherMatchSongsRequest.songs.name of type string"}');
  });
});
