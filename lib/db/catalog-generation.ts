import { remember } from "../server/remember";
import { db } from "./client";

/**
 * Generation counters for caches of catalog answers (lib/catalog/artist-index-cache): one for
 * the catalog tables (bumped by every scanner write transaction and by agent info saves) and
 * one per user for their annotations (stars, ratings). As in lib/db/user-generation, writers
 * bump *after* the write settled (in `finally`, so a failed write that may have half-happened
 * also invalidates) and caches read the generation *before* building, so an answer built while
 * a write was under way is stored under a generation that is already stale and never served.
 * Kept on globalThis: route handlers and instrumentation are separate module instances.
 */
const state = remember("catalogGeneration", () => ({ catalog: 0, annotations: new Map<string, number>() }));

/** The current catalog generation. */
export function catalogGeneration(): number {
  return state.catalog;
}

/** Records that catalog rows (tracks, albums, artists, libraries' totals) changed. */
export function catalogChanged(): void {
  state.catalog += 1;
}

/** The current generation of one user's annotations. */
export function annotationGeneration(userId: string): number {
  return state.annotations.get(userId) ?? 0;
}

/** Records that a user's annotations changed (call after the write). */
export function annotationsChanged(userId: string): void {
  state.annotations.set(userId, annotationGeneration(userId) + 1);
}

/**
 * The database client in use, as an identity for caches: a test (or a restart of the client) swaps
 * the database, and nothing cached from the previous one applies.
 */
export function databaseIdentity(): object {
  return db();
}
