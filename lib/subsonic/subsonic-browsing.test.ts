import { SubsonicAPI } from "subsonic-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { writeDemoLibrary } from "../media/demo-library";
import { startScan } from "../scanner/scanner";
import { bootTestServer } from "../testing/boot-test-server";
import { serveHandler } from "../testing/serve-handler";
import { createUser } from "../users/users";
import { handleSubsonic } from "./dispatch";
import { parseRange } from "./handlers/media";

let url = "";
let close: () => Promise<void>;
let api: SubsonicAPI;
const creds = { u: "admin", p: "admin-pass" };
const q = (params: Record<string, string>) => new URLSearchParams({ ...creds, v: "1.16.1", c: "test", f: "json", ...params });
const getJson = async (method: string, params: Record<string, string> = {}) => (await (await fetch(`${url}/rest/${method}?${q(params)}`)).json())["subsonic-response"];

beforeAll(async () => {
  const { config } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  writeDemoLibrary(config.resolved.musicFolder, { seconds: 2 });
  await startScan();
  ({ url, close } = await serveHandler(handleSubsonic));
  api = new SubsonicAPI({ url, auth: { username: "admin", password: "admin-pass" } });
});
afterAll(() => close());

describe("browsing with a real Subsonic client", () => {
  it("lists music folders, artists by index, an artist's albums and an album's songs", async () => {
    const { musicFolders } = await api.getMusicFolders();
    expect(musicFolders.musicFolder).toEqual([{ id: 1, name: "Music Library" }]);
    const { artists } = await api.getArtists();
    const names = artists.index!.flatMap((i) => (i.artist ?? []).map((a) => a.name));
    expect(names).toEqual(["Björk Demo", "The Tessitura Ensemble", "Test Pattern"]); // sorted without "The"
    expect(artists.index!.map((i) => i.name)).toEqual(["B", "T"]);
    const ensemble = artists.index!.flatMap((i) => i.artist ?? []).find((a) => a.name === "The Tessitura Ensemble")!;
    const { artist } = await api.getArtist({ id: ensemble.id });
    expect(artist.album!.map((a) => a.name)).toEqual(["Sine Waves", "Harmonics"]);
    const { album } = await api.getAlbum({ id: artist.album![0].id });
    expect(album.song!.map((s) => [s.track, s.title])).toEqual([
      [1, "A Above Middle C"],
      [2, "Perfect Fifth"],
      [3, "Octave Down"],
    ]);
    expect(album.song![0]).toMatchObject({ album: "Sine Waves", artist: "The Tessitura Ensemble", year: 2024, genre: "Ambient", suffix: "wav", contentType: "audio/wav", duration: 2, isDir: false });
  });

  it("returns OpenSubsonic multi-artist credits on songs", async () => {
    const song = await db().mediaFile.findFirstOrThrow({ where: { title: "Third Partial" } });
    const r = await api.getSong({ id: song.id });
    expect(r.song.displayArtist).toBe("The Tessitura Ensemble • Björk Demo");
    expect(r.song.artists!.map((a) => a.name)).toEqual(["The Tessitura Ensemble", "Björk Demo"]);
  });

  it("browses the same catalog folder-style", async () => {
    const { indexes } = await api.getIndexes();
    const first = indexes.index![0].artist![0];
    const { directory } = await api.getMusicDirectory({ id: first.id });
    expect(directory.child!.every((c) => c.isDir)).toBe(true);
    const songs = await api.getMusicDirectory({ id: directory.child![0].id });
    expect(songs.directory.child!.every((c) => !c.isDir)).toBe(true);
  });

  it("answers error 70 for unknown ids and 10 for missing ones", async () => {
    expect(await getJson("getAlbum", { id: "nope" })).toMatchObject({ status: "failed", error: { code: 70 } });
    expect(await getJson("getArtist")).toMatchObject({ status: "failed", error: { code: 10 } });
  });

  it("hides libraries a user is not assigned to", async () => {
    await createUser({ userName: "limited", password: "limited-pass-1", isAdmin: false });
    const r = await (await fetch(`${url}/rest/getArtists?${new URLSearchParams({ u: "limited", p: "limited-pass-1", v: "1.16.1", c: "t", f: "json" })}`)).json();
    expect(r["subsonic-response"].artists.index ?? []).toEqual([]);
    const album = await db().album.findFirstOrThrow();
    const denied = await (await fetch(`${url}/rest/getAlbum?${new URLSearchParams({ u: "limited", p: "limited-pass-1", v: "1.16.1", c: "t", f: "json", id: album.id })}`)).json();
    expect(denied["subsonic-response"].error.code).toBe(70);
  });
});

describe("streaming and cover art", () => {
  it("streams the whole file and serves byte ranges for seeking", async () => {
    const song = await db().mediaFile.findFirstOrThrow({ where: { title: "Perfect Fifth" } });
    const full = await fetch(`${url}/rest/stream?${q({ id: song.id })}`);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toBe("audio/wav");
    expect(full.headers.get("accept-ranges")).toBe("bytes");
    const bytes = new Uint8Array(await full.arrayBuffer());
    expect(bytes.length).toBe(Number(song.size));
    expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe("RIFF");

    const part = await fetch(`${url}/rest/stream?${q({ id: song.id, maxBitRate: "128" })}`, { headers: { Range: "bytes=100-199" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 100-199/${song.size}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(100, 200));

    const tail = await fetch(`${url}/rest/stream?${q({ id: song.id })}`, { headers: { Range: "bytes=-10" } });
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 10));
    const bad = await fetch(`${url}/rest/stream?${q({ id: song.id })}`, { headers: { Range: `bytes=${bytes.length + 5}-` } });
    expect(bad.status).toBe(416);
  });

  it("offers downloads as attachments", async () => {
    const song = await db().mediaFile.findFirstOrThrow({ where: { title: "Whistle" } });
    const r = await fetch(`${url}/rest/download?${q({ id: song.id })}`);
    expect(r.headers.get("content-disposition")).toMatch(/^attachment; filename\*=UTF-8''02%20-%20Whistle\.wav$/);
  });

  it("serves embedded and folder covers for albums, songs and artists", async () => {
    const embedded = await db().album.findFirstOrThrow({ where: { name: "Sine Waves" } });
    const folder = await db().album.findFirstOrThrow({ where: { name: "Pure Tones" } });
    for (const id of [`al-${embedded.id}`, `al-${folder.id}`, `ar-${folder.albumArtistId}`, embedded.id]) {
      const r = await fetch(`${url}/rest/getCoverArt?${q({ id, size: "300" })}`);
      expect(r.status, id).toBe(200);
      expect(r.headers.get("content-type")).toBe("image/png");
      expect(Buffer.from(new Uint8Array(await r.arrayBuffer()).subarray(1, 4)).toString()).toBe("PNG");
    }
    expect(await getJson("getCoverArt", { id: "al-missing" })).toMatchObject({ error: { code: 70 } });
  });

  it("scales covers to the requested size and keeps them when they are smaller", async () => {
    const album = await db().album.findFirstOrThrow({ where: { name: "Pure Tones" } });
    const dims = async (size: string) => {
      const b = Buffer.from(await (await fetch(`${url}/rest/getCoverArt?${q({ id: `al-${album.id}`, ...(size ? { size } : {}) })}`)).arrayBuffer());
      return [b.readUInt32BE(16), b.readUInt32BE(20)]; // PNG IHDR width, height
    };
    expect(await dims("")).toEqual([128, 128]);
    expect(await dims("64")).toEqual([64, 64]);
    expect(await dims("500")).toEqual([128, 128]);
  });

  it("parses ranges as players send them", () => {
    expect(parseRange("bytes=0-", 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=5-100", 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange("bytes=-3", 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange("bytes=10-", 10)).toBe("unsatisfiable");
    expect(parseRange("items=1-2", 10)).toBeNull();
    expect(parseRange(null, 10)).toBeNull();
  });
});
