import type { Manifest } from "./manifest/types";

/**
 * Secrets in plugin configuration (API keys, tokens, passwords). A field is secret when
 * the manifest's uiSchema renders it as a password (`options.format: "password"`, as the
 * JSONForms editor does) or its schema says `format: "password"` / `writeOnly: true`.
 * Secret values never leave the server: API responses and pages carry MASK instead, and a
 * save that sends MASK back keeps the stored value. The plugin itself still receives the
 * real value (its config map is built from the stored row).
 */
export const MASK = "••••••••";

type Path = string[];

function fromSchema(schema: unknown, at: Path, out: Path[]): void {
  if (!schema || typeof schema !== "object") return;
  const s = schema as Record<string, unknown>;
  if (at.length && (s.format === "password" || s.writeOnly === true)) out.push(at);
  const props = s.properties;
  if (props && typeof props === "object") for (const [k, v] of Object.entries(props as Record<string, unknown>)) fromSchema(v, [...at, k], out);
}

function fromUiSchema(ui: unknown, out: Path[]): void {
  if (!ui || typeof ui !== "object") return;
  const u = ui as Record<string, unknown>;
  const options = u.options as Record<string, unknown> | undefined;
  if (u.type === "Control" && typeof u.scope === "string" && options?.format === "password") {
    const parts = u.scope.replace(/^#\//, "").split("/");
    const path: Path = [];
    for (let i = 0; i < parts.length; i += 2) if (parts[i] === "properties" && parts[i + 1]) path.push(decodeURIComponent(parts[i + 1]));
    if (path.length) out.push(path);
  }
  for (const child of (u.elements as unknown[]) ?? []) fromUiSchema(child, out);
}

export function secretPaths(manifest: Manifest): Path[] {
  const out: Path[] = [];
  fromSchema(manifest.config?.schema, [], out);
  fromUiSchema(manifest.config?.uiSchema, out);
  return out;
}

function visit(obj: unknown, path: Path, fn: (holder: Record<string, unknown>, key: string) => void): void {
  let cur = obj;
  for (let i = 0; i < path.length - 1; i++) {
    if (!cur || typeof cur !== "object" || Array.isArray(cur)) return;
    cur = (cur as Record<string, unknown>)[path[i]];
  }
  if (cur && typeof cur === "object" && !Array.isArray(cur) && Object.hasOwn(cur, path[path.length - 1])) fn(cur as Record<string, unknown>, path[path.length - 1]);
}

/** The config text with every non-empty secret replaced by MASK (unparsable text is returned as is). */
export function maskConfig(configText: string, manifest: Manifest): string {
  const paths = secretPaths(manifest);
  if (!paths.length || !configText) return configText;
  let obj: unknown;
  try {
    obj = JSON.parse(configText);
  } catch {
    return configText;
  }
  for (const p of paths) visit(obj, p, (h, k) => {
    if (h[k] !== "" && h[k] !== null && h[k] !== undefined) h[k] = MASK;
  });
  return JSON.stringify(obj);
}

/** A config being saved: secrets sent back as MASK take their stored value. */
export function unmaskConfig(newText: string, storedText: string, manifest: Manifest): string {
  const paths = secretPaths(manifest);
  if (!paths.length || !newText.includes(MASK)) return newText;
  let next: unknown;
  let stored: unknown = {};
  try {
    next = JSON.parse(newText);
    if (storedText) stored = JSON.parse(storedText);
  } catch {
    return newText;
  }
  for (const p of paths)
    visit(next, p, (h, k) => {
      if (h[k] !== MASK) return;
      let old: unknown = undefined;
      visit(stored, p, (sh, sk) => (old = sh[sk]));
      if (old === undefined) delete h[k];
      else h[k] = old;
    });
  return JSON.stringify(next);
}
