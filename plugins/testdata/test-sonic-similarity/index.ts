// test-sonic-similarity: nd_get_sonic_similar_tracks and nd_find_sonic_path (contract §3.4).
// Config `matches`: a JSON array of SongRef objects; the answer lists them in order with
// similarity 1.0, 0.9, 0.8… (limited to the request's `count`). Without it, `count` fake
// songs `similar-track-N` are returned (like Navidrome's test plugin). Config `error` fails.
// `nd_find_sonic_path` answers the same list, prefixed by the request's startSong.
import { abortWithError, configString, failFromConfig, J_ARR, J_BOOL, J_NUM, J_OBJ, J_STR, JValue, output, parseJSON, q, requestOrError } from "../_shared/pdk";

/** Re-serialises a parsed JSON value. */
function stringify(v: JValue): string {
  if (v.kind == J_STR) return q(v.s);
  if (v.kind == J_NUM) return v.n.toString();
  if (v.kind == J_BOOL) return v.b ? "true" : "false";
  if (v.kind == J_ARR) {
    let out = "[";
    for (let i = 0; i < v.items.length; i++) out += (i ? "," : "") + stringify(v.items[i]);
    return out + "]";
  }
  if (v.kind == J_OBJ) {
    let out = "{";
    for (let i = 0; i < v.keys.length; i++) out += (i ? "," : "") + q(v.keys[i]) + ":" + stringify(v.vals[i]);
    return out + "}";
  }
  return "null";
}

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

function matches(count: i32, first: string): string {
  let out = '{"matches":[';
  let n = 0;
  if (first.length > 0) {
    out += '{"song":' + first + ',"similarity":1}';
    n++;
  }
  const configured = configString("matches");
  const list = configured.length > 0 ? parseJSON(configured) : null;
  if (list !== null) {
    for (let i = 0; i < list.items.length && n < count; i++) {
      if (n > 0) out += ",";
      out += '{"song":' + stringify(list.items[i]) + ',"similarity":' + (1.0 - 0.1 * <f64>n).toString() + "}";
      n++;
    }
  } else {
    for (let i = 0; n < count; i++) {
      if (n > 0) out += ",";
      out += '{"song":{"id":"similar-track-' + i.toString() + '","name":"Similar Track ' + i.toString() + '"},"similarity":' + (1.0 - 0.1 * <f64>n).toString() + "}";
      n++;
    }
  }
  return out + "]}";
}

export function nd_get_sonic_similar_tracks(): i32 {
  if (failFromConfig()) return -1;
  const req = requestOrError();
  if (req === null) return -1;
  output(matches(<i32>req.int("count"), ""));
  return 0;
}

export function nd_find_sonic_path(): i32 {
  if (failFromConfig()) return -1;
  const req = requestOrError();
  if (req === null) return -1;
  output(matches(<i32>req.int("count"), stringify(req.obj("startSong"))));
  return 0;
}
