import "server-only";
import { decodeCallOutput, interpretCallResult } from "./call-result";
import { EngineAbortError } from "./engine";
import { FunctionNotFoundError, NotImplementedError, PluginCallError } from "./errors";
import { goMarshal } from "./go-json";
import type { LoadedPlugin } from "./loader";

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

const encoder = new TextEncoder();

/**
 * Calls one export with Navidrome's convention (contract §2.3): a missing export is
 * reported before anything runs; the request is marshalled like Go's encoding/json; an
 * `error_set` message wins over any return code; `-2` means "not implemented"; other
 * non-zero codes fail; non-empty output is decoded as JSON. Metrics are recorded the way
 * Navidrome records them (not for the two sentinels, nor for a caller's cancellation).
 */
export async function callPluginFunction<O>(plugin: LoadedPlugin, name: string, input: unknown, opts: CallOptions = {}): Promise<O | undefined> {
  if (!plugin.module.hasExport(name)) throw new FunctionNotFoundError(name);
  const started = performance.now();
  const activity = plugin.activity;
  plugin.inflight += 1;
  try {
    const payload = encoder.encode(input === undefined ? "{}" : goMarshal(input));
    let raw;
    try {
      raw = await plugin.module.call(name, payload, opts);
    } catch (err) {
      if (err instanceof EngineAbortError) throw err;
      throw new PluginCallError(`plugin call failed: ${(err as Error).message}`, { cause: err });
    }
    const output = interpretCallResult(name, raw);
    const value = decodeCallOutput(output) as O | undefined;
    activity.recordCall(name, performance.now() - started);
    return value;
  } catch (err) {
    if (!(err instanceof NotImplementedError) && !(err instanceof FunctionNotFoundError) && !(err instanceof EngineAbortError))
      activity.recordCall(name, performance.now() - started, (err as Error).message);
    throw err;
  } finally {
    plugin.inflight -= 1;
  }
}
