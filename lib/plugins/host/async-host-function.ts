import type { HostFunction } from "../engine";
import { goMarshal, parseRequest, type JsonNode } from "../go-json";

const enc = new TextEncoder();

/**
 * `hostFunction` for bodies that await (dialing, sending, nested plugin callbacks): an
 * undecodable request or a thrown error answers exactly `{"error": …}` (contract §2.12).
 * `signal` ends with the plugin call that made the host call.
 */
export function asyncHostFunction(body: (req: JsonNode, signal: AbortSignal) => Promise<Record<string, unknown>>): HostFunction {
  return async (input, call) => {
    let result: Record<string, unknown>;
    try {
      result = await body(parseRequest(input), call.signal);
    } catch (err) {
      result = { error: (err as Error).message };
    }
    return enc.encode(goMarshal(result));
  };
}
