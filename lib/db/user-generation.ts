import { remember } from "../server/remember";

/**
 * A counter of writes to the rows authentication reads (User, ApiKey), bumped by the query
 * modules that write them. Caches of user rows and credentials (lib/auth/credential-cache)
 * stamp each entry with the generation read *before* their lookup and drop it once the
 * generation moved, so a lookup racing a write can never pin the old row.
 *
 * Writers bump *after* their write completed (in `finally`, so a failed write that may
 * have half-happened also invalidates). Kept on globalThis: route handlers and
 * instrumentation are separate module instances in Next.js.
 */
const state = remember("userTableGeneration", () => ({ n: 0 }));

/** The current generation; compare with a later read to learn whether anything changed. */
export function userTableGeneration(): number {
  return state.n;
}

/** Records that a user or API key row changed (call after the write). */
export function userTableChanged(): void {
  state.n += 1;
}

/** Runs a write to the User/ApiKey tables and bumps the generation once it settled. */
export async function changingUsers<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } finally {
    userTableChanged();
  }
}
