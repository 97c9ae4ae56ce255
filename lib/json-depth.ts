/** Deepest nesting of arrays and objects we accept in JSON from outside (request bodies, plugin config). */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests arrays/objects deeper than `maxDepth`, found by one pass over the
 * text (brackets inside strings do not count). JSON.parse copes with deep input, but the
 * recursive code that walks parsed values afterwards (JSON.stringify, schema validators, our
 * own walks) overflows the stack, so deep values are refused before they are parsed.
 */
export function exceedsJsonDepth(text: string, maxDepth = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
