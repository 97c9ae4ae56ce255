/**
 * A process-wide singleton keyed on globalThis. Next.js loads route handlers and
 * instrumentation as separate module instances (and dev hot reload re-evaluates
 * modules), so module-level variables are not shared; globalThis is.
 */
export function remember<T>(key: string, factory: () => T): T {
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  const sym = Symbol.for(`tessitura.${key}`);
  return (store[sym] ??= factory());
}

/** Replaces (or clears) a remembered value; used by tests and by shutdown. */
export function forget(key: string): void {
  delete (globalThis as unknown as Record<symbol, unknown>)[Symbol.for(`tessitura.${key}`)];
}
