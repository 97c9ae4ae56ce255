import { annotationGeneration, catalogGeneration, databaseIdentity } from "../db/catalog-generation";
import { remember } from "../server/remember";

/**
 * Rendered getArtists/getIndexes documents, kept between requests. At 100 000 tracks the
 * index holds ~3 500 artists (~700 kB of JSON): building it costs a scan of the artist index
 * plus the user's artist annotations, and rendering it as much again, on every request of a
 * client that syncs its artist list (issue #18: p95 66 ms against a 25 ms target).
 *
 * An entry is keyed by everything the answer depends on: the method and format, the user
 * (entries carry that user's `starred`/`userRating`), the libraries in scope (already
 * narrowed by the user's access and `musicFolderId`, so an access change is a different key),
 * the method's own stamp (getIndexes' `lastModified`), the catalog generation (bumped by every
 * scanner write, agent info save and library catalog removal) and the user's annotation
 * generation (bumped by star/unstar/setRating). Generations are read before the answer is
 * built, so an answer built during a write is filed under a stale key and never served.
 *
 * Writes by another process on the same database bump nothing here: entries also expire after
 * TTL_MS, the same bound lib/auth/credential-cache gives such writes. Bounded to MAX_ENTRIES
 * documents (least recently used dropped first, ~1 MB each at 100k tracks).
 */
const MAX_ENTRIES = 8;
const TTL_MS = 60_000;

interface Entry {
  /** UTF-8 bytes: a 700 kB document is encoded once, not on every answer. */
  text: Uint8Array;
  type: string;
  at: number;
}

const state = remember("artistIndexCache", () => ({ client: null as unknown, entries: new Map<string, Entry>(), hits: 0, misses: 0 }));

/** What an index answer depends on besides the generations, which `cachedIndexDocument` adds. */
export interface IndexKey {
  method: string;
  format: "xml" | "json";
  userId: string;
  libraryIds: number[];
  /** Anything else the answer shows (getIndexes: lastModified). */
  stamp?: string | number;
}

/** The document for `key`: from the cache when still current, else built by `build` and kept. */
export async function cachedIndexDocument(key: IndexKey, build: () => Promise<{ text: string | Uint8Array; type: string }>): Promise<{ text: Uint8Array; type: string }> {
  // A test (or a restart of the database client) swaps the database: nothing cached applies.
  const client = databaseIdentity();
  if (state.client !== client) {
    state.entries.clear();
    state.client = client;
  }
  const k = JSON.stringify([key.method, key.format, key.userId, key.libraryIds, key.stamp ?? null, catalogGeneration(), annotationGeneration(key.userId)]);
  const now = Date.now();
  const hit = state.entries.get(k);
  if (hit && now - hit.at < TTL_MS) {
    // Re-insert: Map order is the LRU order.
    state.entries.delete(k);
    state.entries.set(k, hit);
    state.hits++;
    return hit;
  }
  state.misses++;
  const built = await build();
  const entry = { text: typeof built.text === "string" ? Buffer.from(built.text) : built.text, type: built.type, at: now };
  state.entries.delete(k);
  state.entries.set(k, entry);
  while (state.entries.size > MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value!);
  return entry;
}

/** Hit/miss counters and size (tests, diagnostics). */
export function artistIndexCacheStats(): { hits: number; misses: number; entries: number } {
  return { hits: state.hits, misses: state.misses, entries: state.entries.size };
}

/** Drops every cached document (tests). */
export function clearArtistIndexCache(): void {
  state.entries.clear();
}
