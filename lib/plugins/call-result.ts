import { FunctionNotFoundError, NotImplementedError, PluginCallError } from "./errors";

/** What the engine reports for one call, before Navidrome's rules are applied. */
export interface RawCallResult {
  /** The export's i32 return value, signed. */
  code: number;
  output: Uint8Array;
  /** Message set with Extism's `error_set`, or null. */
  error: string | null;
}

/**
 * Navidrome's precedence (contract §2.3 steps 5–6, §2.4): an `error_set` message fails
 * the call whatever the code; `-2` without a message is "not implemented"; any other
 * non-zero code fails with the code printed as uint32 (-1 ⇒ 4294967295).
 */
export function interpretCallResult(name: string, raw: RawCallResult): Uint8Array {
  if (raw.error !== null && raw.error !== "") throw new PluginCallError(`plugin call failed: ${raw.error}`);
  if (raw.code === -2) throw new NotImplementedError(name);
  if (raw.code !== 0) throw new PluginCallError(`plugin call exited with code ${raw.code >>> 0}`);
  return raw.output;
}

const decoder = new TextDecoder();

/** Step 7: empty output ⇒ undefined (the zero value); otherwise JSON, or the call fails. */
export function decodeCallOutput(output: Uint8Array): unknown {
  if (output.length === 0) return undefined;
  try {
    return JSON.parse(decoder.decode(output));
  } catch (err) {
    throw new PluginCallError(`plugin call failed: decoding output: ${(err as Error).message}`, { cause: err });
  }
}

/** For exports without output: empty, `null` or a JSON object are accepted; anything else fails. */
export function decodeNoOutput(output: Uint8Array): void {
  const v = decodeCallOutput(output);
  if (v === undefined || v === null || (typeof v === "object" && !Array.isArray(v))) return;
  throw new PluginCallError(`plugin call failed: json: cannot unmarshal ${Array.isArray(v) ? "array" : typeof v} into Go value of type struct`);
}

export { FunctionNotFoundError };
