// @ts-check
// The config validation worker (see config-validation-pool.ts): validates configs against
// plugin schemas off the main thread, so a `pattern` that backtracks for seconds on a
// long string costs this worker's time, never the server's. Plain JavaScript loaded from
// disk by path, like the image worker, so it runs the same under vitest and `next start`.
// The main thread has already checked the schema and the config against the static
// limits; the time budget and heap limit are enforced from outside (terminate,
// resourceLimits).

import { parentPort } from "node:worker_threads";
import { compileConfigValidator } from "./config-validator.mjs";

/** Compiled schemas by hash, most recently used last; a worker lives for many saves. */
const compiled = new Map();
const MAX_COMPILED = 32;

/** @param {string} hash @param {Record<string, unknown>} schema */
function validatorFor(hash, schema) {
  let validate = compiled.get(hash);
  if (validate) compiled.delete(hash);
  else validate = compileConfigValidator(schema);
  compiled.set(hash, validate);
  if (compiled.size > MAX_COMPILED) compiled.delete(compiled.keys().next().value);
  return validate;
}

const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
port.on("message", (/** @type {{ id: number; hash: string; schema: Record<string, unknown>; config: unknown }} */ job) => {
  try {
    port.postMessage({ id: job.id, errors: validatorFor(job.hash, job.schema)(job.config) });
  } catch (err) {
    port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
// Loaded (ajv imported): the pool starts the time budget of a job from here, not from the spawn.
port.postMessage({ ready: true });
