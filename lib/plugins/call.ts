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
  return invoke(plugin, name, () => encoder.encode(input === undefined ? "{}" : goMarshal(input)), opts, (output) => decodeCallOutput(output) as O | undefined);
}

/**
 * The same convention with bytes in and bytes out (Navidrome's `callPluginFunctionRaw`,
 * used by framed exports such as `nd_http_handle_request`): the output is not decoded.
 */
export async function callPluginFunctionRaw(plugin: LoadedPlugin, name: string, input: Uint8Array, opts: CallOptions = {}): Promise<Uint8Array> {
  return invoke(plugin, name, () => input, opts, (output) => output);
}

async function invoke<T>(plugin: LoadedPlugin, name: string, payloadOf: () => Uint8Array, opts: CallOptions, finish: (output: Uint8Array) => T): Promise<T> {
  if (!plugin.module.hasExport(name)) throw new FunctionNotFoundError(name);
  const started = performance.now();
  const activity = plugin.activity;
  plugin.inflight += 1;
  try {
    const payload = payloadOf();
    let raw;
    try {
      raw = await plugin.module.call(name, payload, opts);
    } catch (err) {
      if (err instanceof EngineAbortError) throw err;
      throw new PluginCallError(`plugin call failed: ${(err as Error).message}`, { cause: err });
    }
    const value = finish(interpretCallResult(name, raw));
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
