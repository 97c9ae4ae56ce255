/** Stream caps offered in the UI (kbps), as Navidrome's player and user forms offer them; 0 = no limit. */
export const BIT_RATE_CHOICES = [0, 32, 48, 64, 96, 112, 128, 160, 192, 256, 320] as const;

/** How a cap reads in a select or a sentence. */
export function bitRateLabel(kbps: number): string {
  return kbps > 0 ? `${kbps} kbps` : "No limit";
}

/**
 * The choices for a select showing `current`. A cap set through the API can be any value
 * in 0..2000; it is listed (in order) so the select shows what is stored rather than blank.
 */
export function bitRateOptions(current: number): number[] {
  const choices: number[] = [...BIT_RATE_CHOICES];
  if (!choices.includes(current)) choices.push(current);
  return choices.sort((a, b) => a - b);
}

/**
 * The cap that applies to a player's streams: the lowest of the caps that are set (as
 * `effectiveMaxBitRate` on the server, without the request's own), 0 when none is.
 */
export function effectiveCap(...caps: number[]): number {
  const set = caps.filter((c) => c > 0);
  return set.length ? Math.min(...set) : 0;
}
