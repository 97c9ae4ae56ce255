/**
 * Writes (or finds cached) a big generated library: `node scripts/run-ts.mjs scripts/big-library.ts
 * [--tracks 100000] [--seed 1] [--out ~/.cache/tessitura/big-library/<tracks>]`. See lib/testing/big-library.ts.
 */
import path from "node:path";
import { bigLibraryFolder, ensureBigLibrary } from "../lib/testing/big-library";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const tracks = Number(arg("tracks") ?? 100_000);
const seed = Number(arg("seed") ?? 1);
if (!Number.isInteger(tracks) || tracks < 1 || !Number.isInteger(seed)) {
  console.error("usage: scripts/big-library.ts [--tracks N] [--seed N] [--out folder]");
  process.exit(2);
}
const out = path.resolve(arg("out") ?? bigLibraryFolder(tracks));
const info = await ensureBigLibrary(out, { tracks, seed });
console.log(`${info.generated ? "wrote" : "cached"} ${info.tracks} tracks (${info.albums} albums, ${info.artists} artists) in ${out} — ${(info.ms / 1000).toFixed(1)} s`);
