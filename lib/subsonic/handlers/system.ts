import type { SubsonicHandler } from "../context";
import { sonicProvider } from "../../sonic/sonic";
import { transcoder } from "../../media/transcode/transcoder";

export const ping: SubsonicHandler = async () => ({});

export const getLicense: SubsonicHandler = async () => ({
  license: { valid: true, email: "", licenseExpires: "2099-12-31T00:00:00Z" },
});

/** OpenSubsonic extensions this server implements, each with the versions supported. */
const extensions: { name: string; versions: number[] }[] = [
  { name: "apiKeyAuthentication", versions: [1] },
  { name: "formPost", versions: [1] },
  { name: "songLyrics", versions: [1] },
  { name: "topSongsByArtistId", versions: [1] },
];

export function registerExtension(name: string, versions: number[]): void {
  if (!extensions.some((e) => e.name === name)) extensions.push({ name, versions });
}

/** `sonicSimilarity` is advertised only while a SonicSimilarity plugin is loaded (contract §7). */
export const getOpenSubsonicExtensions: SubsonicHandler = async () => ({
  openSubsonicExtensions: [
    ...extensions,
    ...(sonicProvider() ? [{ name: "sonicSimilarity", versions: [1] }] : []),
    // Both need ffmpeg: advertised only when transcoding is available (issue #17).
    ...(transcoder().available ? [{ name: "transcodeOffset", versions: [1] }, { name: "transcoding", versions: [1] }] : []),
  ],
});
