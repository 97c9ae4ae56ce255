import path from "node:path";

/**
 * Plugin ids (contract §1.2): the file's base name minus the case-sensitive `.ndp`
 * suffix. The id names the plugin's table row, data directory, Subsonic client name
 * and log label.
 */
export function pluginIdFromFileName(fileName: string): string | null {
  const base = path.basename(fileName);
  if (!base.endsWith(".ndp")) return null;
  return base.slice(0, -".ndp".length);
}

/**
 * Navidrome's later rule (77726af59): ids unusable as a directory name are skipped —
 * `.`, `..`, anything with `/` or `\`, names Go's `filepath.IsLocal` rejects (empty,
 * absolute, with a `..` element) and names ending in `.` or a space.
 */
export function isUsablePluginId(id: string): boolean {
  if (id === "" || id === "." || id === "..") return false;
  if (id.includes("/") || id.includes("\\") || id.includes("\0")) return false;
  if (id.endsWith(".") || id.endsWith(" ")) return false;
  return true;
}
