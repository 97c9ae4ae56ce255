import { describeIntroduced, exportInfo, hostFunctionInfo, NEWEST_KNOWN_RELEASE } from "./host-functions";

/**
 * The one wording of "this plugin imports something we do not give it" (addendum A5.6).
 * Navidrome itself only says wazero's `"X" is not exported in module "extism:host/user"`,
 * which reads the same whether the manifest forgot a permission, the plugin targets a
 * newer Navidrome, or the host simply lacks the function. The loader keeps that text (it
 * is what authors search for) and appends which of the three it is, so the admin page,
 * the API, `npm run plugin` and `ndp validate`, all fed by the loader, say the same.
 */

const HOST_MODULE = "extism:host/user";

export interface UnresolvedImport {
  module: string;
  name: string;
}

export interface ClassifyContext {
  /** Permission keys the manifest declares. */
  declaredPermissions: readonly string[];
  /** Permission keys whose host service this host implements (the host registry's rows). */
  providedPermissions: readonly string[];
}

export type ImportVerdict =
  | { kind: "lacks-permission"; permission: string }
  | { kind: "not-provided"; introduced: string }
  | { kind: "unknown" }
  | { kind: "other-module" };

// Go decodes manifest keys case-insensitively (`scrobbleretriever` binds `scrobbleRetriever`).
const has = (keys: readonly string[], key: string) => keys.some((k) => k.toLowerCase() === key.toLowerCase());

/** Which of the three reasons keeps `imp` unresolved. */
export function classifyImport(imp: UnresolvedImport, ctx: ClassifyContext): ImportVerdict {
  if (imp.module !== HOST_MODULE) return { kind: "other-module" };
  const info = hostFunctionInfo(imp.name);
  if (!info) return { kind: "unknown" };
  // A function we implement but did not register: only the permission can be missing.
  if (info.permission && has(ctx.providedPermissions, info.permission) && !has(ctx.declaredPermissions, info.permission)) {
    return { kind: "lacks-permission", permission: info.permission };
  }
  return { kind: "not-provided", introduced: describeIntroduced(info.introduced) };
}

/** One import's sentence: wazero's text, then the verdict. */
export function describeUnresolvedImport(imp: UnresolvedImport, ctx: ClassifyContext): string {
  const base = `"${imp.name}" is not exported in module "${imp.module}"`;
  const v = classifyImport(imp, ctx);
  switch (v.kind) {
    case "lacks-permission":
      return `${base}: manifest lacks permission "${v.permission}"`;
    case "not-provided":
      return `${base}: needs host function ${imp.name}, added in ${v.introduced}, which this server does not provide`;
    case "unknown":
      return `${base}: unknown to every Navidrome release up to ${NEWEST_KNOWN_RELEASE} (built for a newer Navidrome or a fork?)`;
    case "other-module":
      return base;
  }
}

/** Every unresolved import, classified, in import order, joined with "; ". */
export function describeUnresolvedImports(imports: readonly UnresolvedImport[], ctx: ClassifyContext): string {
  return imports.map((imp) => describeUnresolvedImport(imp, ctx)).join("; ");
}

/**
 * Things worth telling the author about imports that do resolve (A5.5): the one import
 * whose name does not identify its wire format.
 */
export function importNotes(hostImports: readonly string[]): string[] {
  const notes: string[] = [];
  if (hostImports.includes("subsonicapi_callraw")) {
    notes.push(
      "subsonicapi_callraw answers in the Navidrome v0.61.0+ JSON format {contentType, data}; a plugin built with a v0.60.2/v0.60.3 PDK expects the older binary frame and must be rebuilt",
    );
  }
  return notes;
}

/**
 * Exports no host will call (A5.3): an `nd_`-prefixed name unknown to every Navidrome
 * release and open plugin PR. Navidrome ignores them silently; saying so catches typos.
 */
export function exportNotes(exports: readonly string[]): string[] {
  return exports
    .filter((e) => e.startsWith("nd_") && !exportInfo(e))
    .map((e) => `export ${e} is unknown to every Navidrome release up to ${NEWEST_KNOWN_RELEASE}: no host calls it (a typo, or built for a newer Navidrome?)`);
}
