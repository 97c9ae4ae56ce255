import { Generate, getFirstPrimitiveProp, Resolve, type JsonSchema, type UISchemaElement } from "@jsonforms/core";
import { isPasswordControl, isSecretSchema } from "@/lib/plugin-admin/config-secret-fields";

/**
 * The uiSchema the config form renders, adjusted so that no secret shows as text (the
 * server sends secrets masked, but a value the admin types is real):
 * - a field whose schema says `format: "password"` / `writeOnly` renders as a password
 *   (JSONForms only looks at the uiSchema's `options.format`);
 * - an array of objects with secret properties gets an explicit `detail` (so nested
 *   secrets render as passwords), is rendered as expandable items rather than a table
 *   of plain-text cells (`options.secretItems`, see PluginConfigForm), and labels its
 *   items by a property that is not secret (JSONForms labels them by `elementLabelProp`
 *   or else the first string or number property, which may be the token).
 * Schemas and uiSchemas without secrets come back unchanged (the same object, or null).
 */
export function secureUiSchema(schema: JsonSchema, uiSchema: UISchemaElement | null): UISchemaElement | null {
  const base = uiSchema ?? Generate.uiSchema(schema, "VerticalLayout", "#", schema);
  const before = JSON.stringify(base);
  const secured = secure(structuredClone(base), schema, schema, 0);
  return JSON.stringify(secured) === before ? uiSchema : secured;
}

type Element = UISchemaElement & { scope?: string; elements?: Element[]; options?: Record<string, unknown> };
type Schema = JsonSchema & Record<string, unknown>;

function deref(s: unknown, root: JsonSchema): Schema | undefined {
  let cur = s as Schema | undefined;
  for (let i = 0; cur && typeof cur.$ref === "string" && i < 16; i++) cur = Resolve.schema(root, cur.$ref, root) as Schema | undefined;
  return cur && typeof cur === "object" ? cur : undefined;
}

function resolveScope(current: JsonSchema, scope: string, root: JsonSchema): Schema | undefined {
  try {
    return deref(Resolve.schema(current, scope, root), root);
  } catch {
    return undefined;
  }
}

/** Whether a (detail) uiSchema shows `#/properties/<name>` as a password. */
function showsAsPassword(ui: Element | undefined, name: string): boolean {
  if (!ui) return false;
  if (ui.type === "Control" && ui.scope === `#/properties/${name}` && isPasswordControl(ui)) return true;
  return (ui.elements ?? []).some((e) => showsAsPassword(e, name));
}

function secure(ui: Element, current: JsonSchema, root: JsonSchema, depth: number): Element {
  if (depth > 16) return ui;
  ui.elements = ui.elements?.map((e) => secure(e, current, root, depth + 1));
  if (ui.type !== "Control" || typeof ui.scope !== "string") return ui;
  const resolved = resolveScope(current, ui.scope, root);
  if (!resolved) return ui;
  if (isSecretSchema(resolved)) ui.options = { ...ui.options, format: "password" };

  const detail = ui.options?.detail && typeof ui.options.detail === "object" ? (ui.options.detail as Element) : undefined;
  const items = !Array.isArray(resolved.items) ? deref(resolved.items, root) : undefined;
  if (items?.properties) {
    const securedDetail = secure(structuredClone(detail ?? (Generate.uiSchema(items, "VerticalLayout", "#", root) as Element)), items, root, depth + 1);
    const props = Object.keys(items.properties);
    const secret = new Set(props.filter((p) => isSecretSchema(deref(items.properties![p], root)) || showsAsPassword(securedDetail, p)));
    if (!secret.size) return ui;
    const label = (ui.options?.elementLabelProp as string | undefined) ?? getFirstPrimitiveProp(items);
    const options: Record<string, unknown> = { ...ui.options, detail: securedDetail, secretItems: true };
    if (label === undefined || secret.has(label)) {
      // No plain property to name the items by: an empty label rather than the secret.
      options.elementLabelProp = getFirstPrimitiveProp({ ...items, properties: Object.fromEntries(Object.entries(items.properties).filter(([p]) => !secret.has(p))) }) ?? "\u0000";
    }
    ui.options = options;
  } else if (resolved.properties && detail) {
    ui.options = { ...ui.options, detail: secure(detail, resolved, root, depth + 1) };
  } else if (resolved.properties) {
    // An object without a detail: JSONForms generates one at render time, out of reach here.
    // Generated here instead when it has secrets to hide (as the Group JSONForms would make).
    const generated = { ...Generate.uiSchema(resolved, "Group", undefined, root), label: (resolved.title as string | undefined) ?? ui.scope.split("/").pop() } as Element;
    const before = JSON.stringify(generated);
    const secured = secure(structuredClone(generated), resolved, root, depth + 1);
    if (JSON.stringify(secured) !== before) ui.options = { ...ui.options, detail: secured };
  }
  return ui;
}
