import { NEWEST_KNOWN_RELEASE } from "../plugins/compat/host-functions";

/**
 * Version arithmetic for catalogs: plugin versions (newest first, "update available") and
 * the Navidrome plugin API level a version declares (`minApi`/`maxApi`).
 */

/** The Navidrome plugin API this server implements: every host function and export of the A5 table. */
export const SERVER_PLUGIN_API = NEWEST_KNOWN_RELEASE;
/** Releases before this one used another plugin ABI (addendum A5.1); no package for them loads here. */
export const OLDEST_PLUGIN_API = "v0.60.0";

/**
 * Compares semver-ish versions (`1.2.0`, `v0.61.0`, `2.0.0-beta.1`, `1.10`): numeric
 * parts numerically, missing parts as 0, a pre-release below its release; other text
 * compares as text. Negative when `a` is older.
 */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [core, ...pre] = v.trim().replace(/^v/i, "").split(/[-+]/);
    return { core: core.split("."), pre: pre.length ? pre.join("-") : null };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.max(x.core.length, y.core.length); i++) {
    const c = comparePart(x.core[i] ?? "0", y.core[i] ?? "0");
    if (c) return c;
  }
  if (x.pre === null || y.pre === null) return x.pre === y.pre ? 0 : x.pre === null ? 1 : -1;
  const xp = x.pre.split(".");
  const yp = y.pre.split(".");
  for (let i = 0; i < Math.max(xp.length, yp.length); i++) {
    if (xp[i] === undefined || yp[i] === undefined) return xp[i] === undefined ? -1 : 1;
    const c = comparePart(xp[i], yp[i]);
    if (c) return c;
  }
  return 0;
}

function comparePart(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) return Math.sign(Number(a) - Number(b));
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a catalog version's API range admits this server, and why not. */
export function apiCompatibility(v: { minApi?: string; maxApi?: string }, server: string = SERVER_PLUGIN_API): { compatible: boolean; compatibilityNote?: string } {
  const tag = (r: string) => (r.startsWith("v") ? r : `v${r}`);
  if (v.minApi && compareVersions(v.minApi, server) > 0)
    return { compatible: false, compatibilityNote: `needs the plugin API of Navidrome ${tag(v.minApi)}; this server implements it up to ${server}` };
  if (v.maxApi && compareVersions(v.maxApi, OLDEST_PLUGIN_API) < 0)
    return { compatible: false, compatibilityNote: `built for Navidrome before ${OLDEST_PLUGIN_API} (an older plugin ABI)` };
  if (v.maxApi && compareVersions(v.maxApi, server) < 0)
    return { compatible: false, compatibilityNote: `declared to work up to Navidrome ${tag(v.maxApi)}; this server implements the plugin API of ${server}` };
  return { compatible: true };
}
