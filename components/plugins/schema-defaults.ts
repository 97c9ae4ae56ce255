/**
 * Fills a form's data with the schema's defaults, including inside nested objects that
 * are absent (ajv's `useDefaults` only fills objects that already exist, so a nested
 * `advanced.retries` default would otherwise stay empty). Existing values are kept; an
 * absent object is only created when something inside it has a default.
 */
export function withSchemaDefaults(schema: unknown, data: unknown): unknown {
  if (!schema || typeof schema !== "object") return data;
  const s = schema as { default?: unknown; properties?: Record<string, unknown>; type?: unknown };
  if (data === undefined && s.default !== undefined) return structuredClone(s.default);
  if (!s.properties || (data !== undefined && (data === null || typeof data !== "object" || Array.isArray(data)))) return data;
  const obj = { ...((data as Record<string, unknown>) ?? {}) };
  let filled = false;
  for (const [key, prop] of Object.entries(s.properties)) {
    const next = withSchemaDefaults(prop, obj[key]);
    if (next !== undefined && next !== obj[key]) {
      obj[key] = next;
      filled = true;
    }
  }
  // Unchanged data keeps its identity, so the form does not see a "new" value and re-render forever.
  return filled ? obj : data;
}
