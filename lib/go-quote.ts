/**
 * Go's `%q` for the strings host-service errors quote (IDs, names, URLs): a JSON string
 * literal, which is what `%q` prints for valid UTF-8 text without control characters.
 */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}
