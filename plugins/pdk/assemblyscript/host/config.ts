// Config host service (contract §4.1, no permission needed): the same values as `Config`
// (the Extism config map), plus integer parsing and key listing on the host side.
import { hostRequest, hostResponse } from "../lib/host";
import { JSONWriter } from "../lib/json";
import { IntResult, StringListResult, StringResult } from "../lib/results";

@external("extism:host/user", "config_get")
declare function config_get(offset: u64): u64;
@external("extism:host/user", "config_getint")
declare function config_getint(offset: u64): u64;
@external("extism:host/user", "config_keys")
declare function config_keys(offset: u64): u64;

export class ConfigService {
  static get(key: string): StringResult {
    const res = hostResponse(config_get(hostRequest(new JSONWriter().beginObject().string("key", key).endObject().toString())));
    const r = new StringResult();
    if (r.takeError(res)) return r;
    r.value = res.getString("value");
    r.exists = res.getBool("exists");
    return r;
  }

  /** A strict base-10 int64 parse on the host (`exists` is false for `3.0` or ` 3`). */
  static getInt(key: string): IntResult {
    const res = hostResponse(config_getint(hostRequest(new JSONWriter().beginObject().string("key", key).endObject().toString())));
    const r = new IntResult();
    if (r.takeError(res)) return r;
    r.value = res.getI64("value");
    r.exists = res.getBool("exists");
    return r;
  }

  /** Config keys starting with `prefix` (all keys for ""), sorted. */
  static keys(prefix: string = ""): StringListResult {
    const res = hostResponse(config_keys(hostRequest(new JSONWriter().beginObject().string("prefix", prefix).endObject().toString())));
    const r = new StringListResult();
    if (r.takeError(res)) return r;
    r.values = res.getStrings("keys");
    return r;
  }
}
