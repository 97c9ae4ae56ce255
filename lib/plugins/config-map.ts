import { goMarshal, nodeToValue, parseOrderedJson, type JsonNode } from "./go-json";
import { PluginError } from "./errors";

/**
 * The plugin's stored config → the Extism config map (contract §2.9): exactly the
 * top-level keys; strings verbatim; every other value re-serialised like Go's encoder
 * (compact, object keys sorted, HTML characters escaped): `3` → "3", `true` → "true",
 * `null` → "null". Empty config ⇒ no keys. A config that is not a JSON object prevents
 * loading.
 */
export function configMapFromJson(text: string): Record<string, string> {
  if (text.trim() === "") return {};
  let root: JsonNode;
  try {
    root = parseOrderedJson(text);
  } catch (err) {
    throw new PluginError(`parsing plugin config: ${(err as Error).message}`, { cause: err });
  }
  if (root.kind === "null") return {};
  if (root.kind !== "object") throw new PluginError(`parsing plugin config: json: cannot unmarshal ${root.kind} into Go value of type map[string]interface {}`);
  const map: Record<string, string> = {};
  for (const [key, node] of root.pairs) {
    map[key] = node.kind === "string" ? node.value : goMarshal(nodeToValue(node), { sortKeys: true });
  }
  return map;
}
