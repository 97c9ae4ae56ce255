import "server-only";
import { countScrobbles, scrobbleSlice, scrobbleTimeBounds, type ScrobbleRow, type TimeRange } from "../db/scrobble-history";

/**
 * A user's scrobble history read back page by page (Navidrome's ScrobbleRetriever,
 * addendum A1.5). The rows themselves are written with each counted play (play-count.ts).
 */

/** The most plays one page holds; also the page size when none (or a bad one) is asked for. */
export const MAX_SCROBBLE_PAGE = 5000;

/** Where a page starts and how big it is. Pass a page's `next` back verbatim to get the following page. */
export interface ScrobblePageOptions {
  /** Inclusive lower bound, Unix seconds. */
  fromTimestamp?: number;
  /** Inclusive upper bound, Unix seconds. */
  toTimestamp?: number;
  descending: boolean;
  maxItems: number;
  /** Paging state: rows at the bound's timestamp already returned. Callers never set it themselves. */
  offset: number;
}

export interface ScrobblePage {
  scrobbles: ScrobbleRow[];
  /** The options of the next page; absent on the last one. */
  next?: ScrobblePageOptions;
}

const rangeOf = (o: { fromTimestamp?: number; toTimestamp?: number }): TimeRange => ({ from: o.fromTimestamp, to: o.toTimestamp });

/**
 * One page of the user's plays in (submission time, id) order. The row after the page is
 * fetched as a look-ahead: its time `T` becomes the next page's bound, and the page's own
 * trailing rows at `T` become the next offset, so plays sharing one second are neither
 * skipped nor repeated across a page edge — even a run longer than a page, whose offset
 * keeps accumulating.
 */
export async function scrobblePage(userId: string, options: ScrobblePageOptions): Promise<ScrobblePage> {
  const opts: ScrobblePageOptions = {
    ...options,
    maxItems: options.maxItems < 1 || options.maxItems > MAX_SCROBBLE_PAGE ? MAX_SCROBBLE_PAGE : options.maxItems,
    offset: Math.max(options.offset, 0),
  };
  const lookahead = opts.maxItems + 1;
  const rows = await scrobbleSlice(userId, rangeOf(opts), { descending: opts.descending, limit: lookahead, offset: opts.offset });
  if (rows.length < lookahead) return { scrobbles: rows };

  const page = rows.slice(0, opts.maxItems);
  const nextTime = rows[opts.maxItems].submissionTime;
  let ties = 0;
  for (let i = page.length - 1; i >= 0 && page[i].submissionTime === nextTime; i--) ties++;
  // The whole page shares the time: the rows the incoming offset skipped are still behind us.
  if (ties === page.length) ties += opts.offset;
  const next: ScrobblePageOptions = { ...opts, offset: ties, ...(opts.descending ? { toTimestamp: nextTime } : { fromTimestamp: nextTime }) };
  return { scrobbles: page, next };
}

/** How many plays of the user fall in the (inclusive) range. */
export function scrobbleCount(userId: string, range: { fromTimestamp?: number; toTimestamp?: number }): Promise<number> {
  return countScrobbles(userId, rangeOf(range));
}

/** Unix seconds of the user's oldest and newest play, or null without any. */
export function scrobbleSpan(userId: string): Promise<{ first: number; last: number } | null> {
  return scrobbleTimeBounds(userId);
}
