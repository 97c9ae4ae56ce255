import "server-only";
import type { User } from "../../db/rows";
import { scrobbleCount, scrobblePage, scrobbleSpan, type ScrobblePageOptions } from "../../scrobbler/history";
import { decode, goField, GoTypeError, type JsonNode } from "../go-json";
import { asyncHostFunction } from "./async-host-function";
import type { HostService, HostServiceContext } from "./registry";
import { UserScope } from "./scope";

/** Go's request struct names, which appear in its decoding errors. */
const REQ = {
  first: "ScrobbleRetrieverGetFirstTimestampRequest",
  last: "ScrobbleRetrieverGetLastTimestampRequest",
  page: "ScrobbleRetrieverGetScrobblesRequest",
  count: "ScrobbleRetrieverGetScrobbleCountRequest",
};

function username(req: JsonNode, struct: string): string {
  return decode.string(goField(req, "username"), `${struct}.username`, "/username") ?? "";
}

/** `options` of a request: a missing or `null` object means no bounds and zero values. */
function optionsNode(req: JsonNode, struct: string, goType: string): JsonNode | undefined {
  const n = goField(req, "options");
  if (!n || n.kind === "null") return undefined;
  if (n.kind !== "object") throw new GoTypeError(n, `${struct}.options`, goType, "/options");
  return n;
}

function bounds(n: JsonNode | undefined, struct: string): { fromTimestamp?: number; toTimestamp?: number } {
  if (!n) return {};
  const int64 = (k: string) => decode.int(goField(n, k), `${struct}.options.${k}`, `/options/${k}`, "int64");
  return { fromTimestamp: int64("fromTimestamp"), toTimestamp: int64("toTimestamp") };
}

function pageOptions(req: JsonNode): ScrobblePageOptions {
  const n = optionsNode(req, REQ.page, "host.ScrobbleOptions");
  const field = (k: string) => (n ? goField(n, k) : undefined);
  return {
    ...bounds(n, REQ.page),
    descending: decode.bool(field("descending"), `${REQ.page}.options.descending`, "/options/descending") ?? false,
    maxItems: decode.int(field("maxItems"), `${REQ.page}.options.maxItems`, "/options/maxItems") ?? 0,
    offset: decode.int(field("offset"), `${REQ.page}.options.offset`, "/options/offset") ?? 0,
  };
}

/** `ScrobbleOptions` on the wire: both bounds only when set, `descending` and `maxItems` always, `offset` when not 0. */
function wireOptions(o: ScrobblePageOptions) {
  return { fromTimestamp: o.fromTimestamp, toTimestamp: o.toTimestamp, descending: o.descending, maxItems: o.maxItems, offset: o.offset || undefined };
}

/**
 * ScrobbleRetriever host service (`scrobbleRetriever` permission, which needs `users`;
 * addendum A1): a user's scrobble history by user name. Only users in the plugin's user
 * scope can be read, with Navidrome's `scrobbleRetriever: `-prefixed resolution errors; an
 * empty scope refuses before any lookup, so the answer never tells whether an account exists.
 */
export function createScrobbleRetrieverService(ctx: HostServiceContext): HostService {
  const scope = new UserScope(ctx.record);
  const resolve = async (name: string): Promise<User> => {
    try {
      return await scope.resolve(name);
    } catch (err) {
      throw new Error(`scrobbleRetriever: ${(err as Error).message}`);
    }
  };

  return {
    functions: {
      scrobbleretriever_getfirsttimestamp: asyncHostFunction(async (req) => {
        const user = await resolve(username(req, REQ.first));
        const span = await scrobbleSpan(user.id);
        return { result: span?.first };
      }),
      scrobbleretriever_getlasttimestamp: asyncHostFunction(async (req) => {
        const user = await resolve(username(req, REQ.last));
        const span = await scrobbleSpan(user.id);
        return { result: span?.last };
      }),
      scrobbleretriever_getscrobbles: asyncHostFunction(async (req) => {
        const name = username(req, REQ.page);
        const options = pageOptions(req);
        const user = await resolve(name);
        const page = await scrobblePage(user.id, options);
        return {
          scrobbles: page.scrobbles.length ? page.scrobbles.map((s) => ({ id: s.id, mediaFileId: s.mediaFileId, submissionTime: s.submissionTime })) : undefined,
          next: page.next && wireOptions(page.next),
        };
      }),
      scrobbleretriever_getscrobblecount: asyncHostFunction(async (req) => {
        const name = username(req, REQ.count);
        const range = bounds(optionsNode(req, REQ.count, "host.ScrobbleCountOptions"), REQ.count);
        const user = await resolve(name);
        return { result: (await scrobbleCount(user.id, range)) || undefined };
      }),
    },
  };
}
