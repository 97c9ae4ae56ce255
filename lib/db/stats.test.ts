import { beforeAll, describe, expect, it } from "vitest";
import { writeDemoLibrary } from "../media/demo-library";
import { startScan } from "../scanner/scanner";
import { bootTestServer } from "../testing/boot-test-server";
import { db } from "./client";
import { serverCounts } from "./stats";

beforeAll(async () => {
  const { config } = await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false" });
  writeDemoLibrary(config.resolved.musicFolder, { seconds: 1 });
  await startScan();
});

describe("serverCounts", () => {
  it("counts libraries, present tracks, albums, artists and plugins", async () => {
    expect(await serverCounts()).toEqual({ libraries: 1, tracks: 10, albums: 4, artists: 3, plugins: 0 });
    await db().mediaFile.updateMany({ where: { title: "Whistle" }, data: { missing: true } });
    expect((await serverCounts()).tracks).toBe(9);
  });
});
