// ScrobbleRetriever host service (`scrobbleRetriever` permission, which needs `users`; Navidrome
// after v0.63.2): a user's listening history, by user name, for the users an admin allowed.
// Only IDs and times come back; look tracks up with the Matcher or the Subsonic API.
//
//   let opts: ScrobbleOptions | null = new ScrobbleOptions().pageSize(500);
//   while (opts !== null) {
//     const page = ScrobbleRetriever.scrobbles("alice", opts);
//     if (!page.check("reading history")) return FAILED;
//     … page.scrobbles …
//     opts = page.next; // pass it back as is: it carries the paging state
//   }
import { hostRequest, hostResponse } from "../lib/host";
import { JSONValue, JSONWriter, quote } from "../lib/json";
import { HostResult, IntResult } from "../lib/results";

@external("extism:host/user", "scrobbleretriever_getfirsttimestamp")
declare function scrobbleretriever_getfirsttimestamp(offset: u64): u64;
@external("extism:host/user", "scrobbleretriever_getlasttimestamp")
declare function scrobbleretriever_getlasttimestamp(offset: u64): u64;
@external("extism:host/user", "scrobbleretriever_getscrobbles")
declare function scrobbleretriever_getscrobbles(offset: u64): u64;
@external("extism:host/user", "scrobbleretriever_getscrobblecount")
declare function scrobbleretriever_getscrobblecount(offset: u64): u64;

/** Which plays to read: inclusive Unix-second bounds, order and page size (the host caps it at 5000). */
export class ScrobbleOptions {
  fromTimestamp: i64 = 0;
  hasFrom: bool = false;
  toTimestamp: i64 = 0;
  hasTo: bool = false;
  descending: bool = false;
  /** 0 (or anything above 5000) means 5000. */
  maxItems: i32 = 0;
  /** Paging state set by the host in `next`; never set it yourself. */
  offset: i32 = 0;

  from(t: i64): ScrobbleOptions {
    this.fromTimestamp = t;
    this.hasFrom = true;
    return this;
  }
  to(t: i64): ScrobbleOptions {
    this.toTimestamp = t;
    this.hasTo = true;
    return this;
  }
  newestFirst(): ScrobbleOptions {
    this.descending = true;
    return this;
  }
  pageSize(n: i32): ScrobbleOptions {
    this.maxItems = n;
    return this;
  }

  encode(w: JSONWriter): void {
    w.beginObject("options");
    if (this.hasFrom) w.int("fromTimestamp", this.fromTimestamp);
    if (this.hasTo) w.int("toTimestamp", this.toTimestamp);
    w.bool("descending", this.descending).int("maxItems", this.maxItems).optInt("offset", this.offset).endObject();
  }

  static decode(v: JSONValue): ScrobbleOptions {
    const o = new ScrobbleOptions();
    if (v.has("fromTimestamp")) o.from(v.getI64("fromTimestamp"));
    if (v.has("toTimestamp")) o.to(v.getI64("toTimestamp"));
    o.descending = v.getBool("descending");
    o.maxItems = v.getI32("maxItems");
    o.offset = v.getI32("offset");
    return o;
  }
}

/** One play: `id` tells apart repeated submissions of the same track and second. */
export class ScrobbleRef {
  id: i64 = 0;
  mediaFileId: string = "";
  /** Unix seconds. */
  submissionTime: i64 = 0;

  static decode(v: JSONValue): ScrobbleRef {
    const s = new ScrobbleRef();
    s.id = v.getI64("id");
    s.mediaFileId = v.getString("mediaFileId");
    s.submissionTime = v.getI64("submissionTime");
    return s;
  }
}

export class ScrobblePage extends HostResult {
  scrobbles: ScrobbleRef[] = [];
  /** The options of the next page, or null on the last one. */
  next: ScrobbleOptions | null = null;
}

function timestamp(offset: u64): IntResult {
  const res = hostResponse(offset);
  const r = new IntResult();
  if (r.takeError(res)) return r;
  r.exists = res.has("result");
  r.value = res.getI64("result");
  return r;
}

export class ScrobbleRetriever {
  /** Unix seconds of the user's oldest play; `exists` is false without any. */
  static firstTimestamp(username: string): IntResult {
    return timestamp(scrobbleretriever_getfirsttimestamp(hostRequest('{"username":' + quote(username) + "}")));
  }

  /** Unix seconds of the user's newest play; `exists` is false without any. */
  static lastTimestamp(username: string): IntResult {
    return timestamp(scrobbleretriever_getlasttimestamp(hostRequest('{"username":' + quote(username) + "}")));
  }

  /** One page of the user's plays in time order; pass `next` back until it is null. */
  static scrobbles(username: string, options: ScrobbleOptions | null = null): ScrobblePage {
    const w = new JSONWriter().beginObject().string("username", username);
    (options !== null ? options : new ScrobbleOptions()).encode(w);
    const res = hostResponse(scrobbleretriever_getscrobbles(hostRequest(w.endObject().toString())));
    const r = new ScrobblePage();
    if (r.takeError(res)) return r;
    const items = res.getArray("scrobbles");
    for (let i = 0; i < items.length; i++) r.scrobbles.push(ScrobbleRef.decode(items[i]));
    if (res.has("next")) r.next = ScrobbleOptions.decode(res.getObject("next"));
    return r;
  }

  /** How many plays the user has within the bounds of `options` (order and page size are ignored). */
  static count(username: string, options: ScrobbleOptions | null = null): IntResult {
    const w = new JSONWriter().beginObject().string("username", username).beginObject("options");
    if (options !== null && options.hasFrom) w.int("fromTimestamp", options.fromTimestamp);
    if (options !== null && options.hasTo) w.int("toTimestamp", options.toTimestamp);
    const res = hostResponse(scrobbleretriever_getscrobblecount(hostRequest(w.endObject().endObject().toString())));
    const r = new IntResult();
    if (r.takeError(res)) return r;
    r.value = res.getI64("result");
    r.exists = true;
    return r;
  }
}
