import { decode, goField, goMarshal, omitEmpty, parseRequest } from "../go-json";
import type { HostFunction } from "../engine";

const enc = new TextEncoder();
const respond = (value: Record<string, unknown>) => enc.encode(goMarshal(value));

/** Go's strconv.ParseInt(s, 10, 64): optional sign, ASCII digits only, in range. */
export function parseGoInt64(s: string): bigint | null {
  if (!/^[+-]?\d+$/.test(s)) return null;
  const v = BigInt(s);
  if (v < -(2n ** 63n) || v > 2n ** 63n - 1n) return null;
  return v;
}

/** Runs a host function body; an undecodable request answers `{"error": …}` (contract §2.12). */
export function hostFunction(body: (req: ReturnType<typeof parseRequest>) => Record<string, unknown>): HostFunction {
  return (input) => {
    let req;
    try {
      req = parseRequest(input);
    } catch (err) {
      return respond({ error: (err as Error).message });
    }
    try {
      return respond(body(req));
    } catch (err) {
      return respond({ error: (err as Error).message });
    }
  };
}

/**
 * Config host service (contract §4.1, no permission): reads of the same config map the
 * plugin gets from Extism. Results are `omitempty`: a missing key answers `{}`.
 */
export function createConfigHostFunctions(config: Record<string, string>): Record<string, HostFunction> {
  const has = (k: string) => Object.hasOwn(config, k);
  return {
    config_get: hostFunction((req) => {
      const key = decode.string(goField(req, "key"), "key", "/key") ?? "";
      return has(key) ? omitEmpty({ value: config[key], exists: true }) : {};
    }),
    config_getint: hostFunction((req) => {
      const key = decode.string(goField(req, "key"), "key", "/key") ?? "";
      const v = has(key) ? parseGoInt64(config[key]) : null;
      return v === null ? {} : omitEmpty({ value: v, exists: true });
    }),
    config_keys: hostFunction((req) => {
      const prefix = decode.string(goField(req, "prefix"), "prefix", "/prefix") ?? "";
      const keys = Object.keys(config)
        .filter((k) => k.startsWith(prefix))
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return omitEmpty({ keys });
    }),
  };
}
