import { createHmac, randomBytes } from "node:crypto";
import { derivedKey } from "../auth/secrets";
import { AppError } from "../errors";
import { declaresSecrets, findSecretFields, type DataPath, type SecretField } from "./config-secret-fields";
import type { Manifest } from "../plugins/manifest/types";

/**
 * Secrets in plugin configuration (API keys, tokens, passwords) never leave the server:
 * the API, the pages and the CLI get a masked value instead, and a save that sends the
 * masked value back keeps the stored secret. The plugin still receives the real value
 * (its config map is built from the stored row). Which values are secret is decided by
 * config-secret-fields.ts.
 *
 * A masked value is `MASK#<tag>`, the tag an HMAC (server key) of the value and of the
 * field it belongs to, with array indexes left out. Array elements are reordered, added
 * and removed by the form, so the position a mask comes back at says nothing about which
 * secret it stands for; the tag does. It reveals only whether two elements of the same
 * field hold the same secret. A mask whose tag matches no stored secret of that field is
 * refused rather than guessed at.
 */
export const MASK = "••••••••";
const TAG_CHARS = 16;
const TOKEN = new RegExp(`^${MASK}#([A-Za-z0-9_-]{${TAG_CHARS}})$`);

// Tied to the encryption key so masks outlive restarts and work across the CLI and the
// server; before boot (unit tests) a key for this process only.
let fallbackKey: Buffer | null = null;
function maskKey(): Buffer {
  return derivedKey("tessitura plugin config masks v1") ?? (fallbackKey ??= randomBytes(32));
}

function tokenFor(field: string[], value: unknown): string {
  const tag = createHmac("sha256", maskKey()).update(JSON.stringify([field, value])).digest("base64url").slice(0, TAG_CHARS);
  return `${MASK}#${tag}`;
}

/** Whether a config value is (or claims to be) a masked secret. */
export const isMaskedValue = (v: unknown): v is string => typeof v === "string" && v.startsWith(MASK);

const forms = (manifest: Manifest) => manifest.config;
const fieldName = (path: DataPath) => path.join("/");

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function setAt(root: unknown, path: DataPath, value: unknown): void {
  let cur = root as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined && !Array.isArray(cur)) delete cur[last];
  else cur[last] = value;
}

/** The config text with every non-empty secret masked (unparsable text is returned as is). */
export function maskConfig(configText: string, manifest: Manifest): string {
  if (!configText || !declaresSecrets(forms(manifest))) return configText;
  const data = parse(configText);
  if (data === undefined) return configText;
  const fields = findSecretFields(data, forms(manifest));
  if (!fields.length) return configText;
  for (const f of fields) setAt(data, f.path, tokenFor(f.field, f.value));
  return JSON.stringify(data);
}

/**
 * A config being saved: each masked secret takes the stored secret it stands for. A bare
 * MASK (as older clients and hand-written configs send) keeps the value stored at the same
 * place, or drops the key when none is stored; inside an array that is ambiguous, and
 * refused. Throws INVALID_INPUT with per-field messages for masks that cannot be resolved.
 */
export function unmaskConfig(newText: string, storedText: string, manifest: Manifest): string {
  if (!newText.includes(MASK) || !declaresSecrets(forms(manifest))) return newText;
  const next = parse(newText);
  if (next === undefined) return newText;
  const stored = findSecretFields(parse(storedText || "{}") ?? {}, forms(manifest));
  const byToken = new Map(stored.map((f) => [`${JSON.stringify(f.field)} ${tokenFor(f.field, f.value)}`, f.value]));
  const byPath = new Map(stored.map((f) => [JSON.stringify(f.path), f.value]));

  const problems: Record<string, string> = {};
  const resolve = (f: SecretField): unknown => {
    const value = f.value as string;
    if (TOKEN.test(value)) {
      const old = byToken.get(`${JSON.stringify(f.field)} ${value}`);
      if (old === undefined) problems[fieldName(f.path)] = "the masked secret matches no stored value (it was changed meanwhile): enter it again";
      return old;
    }
    if (value === MASK) {
      if (f.path.some((seg) => typeof seg === "number")) problems[fieldName(f.path)] = "a bare mask inside a list is ambiguous: send the masked value as received, or enter the secret";
      return byPath.get(JSON.stringify(f.path));
    }
    problems[fieldName(f.path)] = "replace the whole masked value to change this secret";
    return undefined;
  };
  const masked = findSecretFields(next, forms(manifest)).filter((f) => isMaskedValue(f.value));
  const resolved = masked.map((f) => [f.path, resolve(f)] as const);
  if (Object.keys(problems).length)
    throw new AppError("INVALID_INPUT", Object.entries(problems).map(([field, msg]) => `${field}: ${msg}`).join("; "), { fields: problems });
  for (const [path, value] of resolved) setAt(next, path, value);
  return JSON.stringify(next);
}

/** Secrets shorter than this are not searched for in free text: they would match everywhere. */
const MIN_REDACTED_LENGTH = 4;

/**
 * Free text about a plugin (its load error, its log lines) with the stored secrets of its
 * config replaced by MASK: a plugin that echoes its API key in an error must not show it
 * to whoever reads the admin page or the CLI.
 */
export function redactSecrets(text: string, configText: string, manifest: Manifest): string {
  if (!text || !configText || !declaresSecrets(forms(manifest))) return text;
  const data = parse(configText);
  if (data === undefined) return text;
  const values = [...new Set(findSecretFields(data, forms(manifest)).map((f) => String(f.value)))]
    .filter((v) => v.length >= MIN_REDACTED_LENGTH)
    .sort((a, b) => b.length - a.length);
  return values.reduce((out, v) => out.split(v).join(MASK), text);
}
