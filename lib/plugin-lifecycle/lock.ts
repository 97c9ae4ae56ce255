const chains = new Map<string, Promise<unknown>>();

/**
 * Runs lifecycle operations on one plugin one at a time (an admin's update and an
 * auto-update, or two clicks, must not interleave their downloads and renames).
 */
export async function serialized<T>(id: string, fn: () => Promise<T>): Promise<T> {
  const previous = chains.get(id) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(fn);
  chains.set(id, next);
  try {
    return await next;
  } finally {
    if (chains.get(id) === next) chains.delete(id);
  }
}
