import type { SubsonicHandler } from "../context";

export const ping: SubsonicHandler = async () => ({});

export const getLicense: SubsonicHandler = async () => ({
  license: { valid: true, email: "", licenseExpires: "2099-12-31T00:00:00Z" },
});

/** OpenSubsonic extensions this server implements, each with the versions supported. */
const extensions: { name: string; versions: number[] }[] = [
  { name: "apiKeyAuthentication", versions: [1] },
  { name: "formPost", versions: [1] },
];

export function registerExtension(name: string, versions: number[]): void {
  if (!extensions.some((e) => e.name === name)) extensions.push({ name, versions });
}

export const getOpenSubsonicExtensions: SubsonicHandler = async () => ({ openSubsonicExtensions: extensions });
